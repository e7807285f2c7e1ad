package org.grievance.ssd.augment;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws overlap {@link Bounds} from a finite sample space, uniformly or with weights (the original
 * SSD's "minimum IoU in {0.1, 0.3, 0.5, 0.7, 0.9} or anything" crop rule).
 */
public final class BoundGenerator {
  private final List<Bounds> sampleSpace;
  private final double[] cumulative;

  /**
   * @param weights {@code null} for uniform, else one non-negative weight per entry (normalised)
   */
  public BoundGenerator(List<Bounds> sampleSpace, double[] weights) {
    if (sampleSpace.isEmpty()) {
      throw new IllegalArgumentException("sampleSpace must not be empty");
    }
    this.sampleSpace = List.copyOf(sampleSpace);
    int n = sampleSpace.size();
    if (weights != null && weights.length != n) {
      throw new IllegalArgumentException(
          "weights has " + weights.length + " entries but sampleSpace has " + n);
    }
    cumulative = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      double w = weights == null ? 1 : weights[i];
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("weights[" + i + "] must be finite and >= 0, got " + w);
      }
      total += w;
      cumulative[i] = total;
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("weights must not all be zero");
    }
    for (int i = 0; i < n; i++) {
      cumulative[i] /= total;
    }
  }

  /** The reference default: lower bounds 0.1, 0.3, 0.5, 0.7, 0.9 or none, upper 1, uniform. */
  public static BoundGenerator referenceDefault() {
    return new BoundGenerator(
        List.of(
            new Bounds(0.1, 1),
            new Bounds(0.3, 1),
            new Bounds(0.5, 1),
            new Bounds(0.7, 1),
            new Bounds(0.9, 1),
            new Bounds(0, 1)),
        null);
  }

  public List<Bounds> sampleSpace() {
    return sampleSpace;
  }

  public Bounds next(RandomGenerator rng) {
    double u = rng.nextDouble();
    for (int i = 0; i < cumulative.length - 1; i++) {
      if (u < cumulative[i]) {
        return sampleSpace.get(i);
      }
    }
    return sampleSpace.get(cumulative.length - 1);
  }
}
