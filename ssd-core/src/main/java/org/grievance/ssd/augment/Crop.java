package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/**
 * Removes the given margins: {@link CropPad} at {@code (top, left, H−top−bottom, W−left−right)}.
 */
public record Crop(
    int cropTop,
    int cropBottom,
    int cropLeft,
    int cropRight,
    boolean clipBoxes,
    BoxFilter boxFilter)
    implements Transform {
  public Crop {
    if (cropTop < 0 || cropBottom < 0 || cropLeft < 0 || cropRight < 0) {
      throw new IllegalArgumentException(
          "crop margins must be >= 0, got top="
              + cropTop
              + " bottom="
              + cropBottom
              + " left="
              + cropLeft
              + " right="
              + cropRight);
    }
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    return new CropPad(
            cropTop,
            cropLeft,
            in.height() - cropTop - cropBottom,
            in.width() - cropLeft - cropRight,
            clipBoxes,
            boxFilter,
            Background.BLACK)
        .apply(in, rng);
  }
}
