package org.grievance.ssd.train;

/**
 * Keras {@code EarlyStopping}. Defaults ({@link #reference()}): patience 10, min_delta 0.
 *
 * @param patience epochs without improvement after which training stops, {@code >= 1}
 * @param minDelta an epoch improves only if the metric falls below {@code best - minDelta}
 */
public record EarlyStoppingConfig(int patience, double minDelta) {
  /** Validates every field. */
  public EarlyStoppingConfig {
    if (patience < 1) {
      throw new IllegalArgumentException("early stopping patience must be >= 1, got " + patience);
    }
    if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
      throw new IllegalArgumentException(
          "early stopping minDelta must be finite and >= 0, got " + minDelta);
    }
  }

  /** The SSD7 reference's settings. */
  public static EarlyStoppingConfig reference() {
    return new EarlyStoppingConfig(10, 0.0);
  }
}
