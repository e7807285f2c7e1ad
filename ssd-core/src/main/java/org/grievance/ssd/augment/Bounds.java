package org.grievance.ssd.augment;

/** A closed-or-open pair of overlap bounds {@code [lower, upper]} (strictness is per criterion). */
public record Bounds(double lower, double upper) {
  public Bounds {
    if (Double.isNaN(lower) || Double.isNaN(upper)) {
      throw new IllegalArgumentException(
          "bounds must be numbers, got (" + lower + ", " + upper + ")");
    }
    Randoms.ordered("bounds", lower, upper);
  }

  /** The reference's {@code (lower or None, upper or None)}: null lower is 0, null upper is 1. */
  public static Bounds of(Double lower, Double upper) {
    return new Bounds(lower == null ? 0.0 : lower, upper == null ? 1.0 : upper);
  }
}
