package org.grievance.ssd.train;

/**
 * Keras {@code ReduceLROnPlateau}. Defaults ({@link #reference()}) are the SSD7 reference's: factor
 * 0.2, patience 8, min_delta ("epsilon") 0.001, min_lr 1e-5, cooldown 0.
 *
 * @param factor multiplier applied on a plateau, in (0, 1)
 * @param patience epochs without improvement before reducing, {@code >= 1}
 * @param minDelta an epoch improves only if the metric falls below {@code best - minDelta}
 * @param minLr the reduction never takes the effective rate below this
 * @param cooldown after a reduction, the next {@code cooldown - 1} epochs are not counted towards
 *     patience (Keras decrements its counter before testing it, so the last cooldown epoch counts)
 */
public record PlateauConfig(
    double factor, int patience, double minDelta, double minLr, int cooldown) {

  /** Validates every field. */
  public PlateauConfig {
    if (!(factor > 0 && factor < 1)) {
      throw new IllegalArgumentException("plateau factor must be in (0, 1), got " + factor);
    }
    if (patience < 1) {
      throw new IllegalArgumentException("plateau patience must be >= 1, got " + patience);
    }
    if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
      throw new IllegalArgumentException(
          "plateau minDelta must be finite and >= 0, got " + minDelta);
    }
    if (!(minLr >= 0) || !Double.isFinite(minLr)) {
      throw new IllegalArgumentException("plateau minLr must be finite and >= 0, got " + minLr);
    }
    if (cooldown < 0) {
      throw new IllegalArgumentException("plateau cooldown must be >= 0, got " + cooldown);
    }
  }

  /** The SSD7 reference's settings. */
  public static PlateauConfig reference() {
    return new PlateauConfig(0.2, 8, 0.001, 1e-5, 0);
  }
}
