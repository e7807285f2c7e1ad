package org.grievance.ssd.training;

/**
 * A model input size in pixels, height first as everywhere here; prints as {@code HxW}.
 *
 * @param height rows, {@code >= 1}
 * @param width columns, {@code >= 1}
 */
public record InputSize(int height, int width) {
  /** Validates both sides. */
  public InputSize {
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "an input size must be positive, got " + height + "x" + width);
    }
  }

  @Override
  public String toString() {
    return height + "x" + width;
  }
}
