package org.grievance.ssd.anchor;

/**
 * A value per image axis, height (y) first as in the reference's {@code (step_h, step_w)} and
 * {@code (offset_h, offset_w)} pairs. Used for the anchor grid's steps (pixels between cell
 * centres) and offsets (first centre, as a fraction of the step).
 */
public record AxisPair(double h, double w) {
  public AxisPair {
    if (!Double.isFinite(h) || !Double.isFinite(w)) {
      throw new IllegalArgumentException("axis pair must be finite, but is (" + h + ", " + w + ")");
    }
  }

  /** The same value on both axes (the reference's scalar form). */
  public static AxisPair both(double value) {
    return new AxisPair(value, value);
  }

  /** Height and width values (the reference's pair form). */
  public static AxisPair of(double h, double w) {
    return new AxisPair(h, w);
  }
}
