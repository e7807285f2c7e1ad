package org.grievance.ssd.augment;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Adds margins filled with the background: {@link CropPad} at {@code (−top, −left, H+top+bottom,
 * W+left+right)}, without clipping or filtering.
 */
public record Pad(int padTop, int padBottom, int padLeft, int padRight, Background background)
    implements Transform {
  public Pad {
    if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
      throw new IllegalArgumentException(
          "pad margins must be >= 0, got top="
              + padTop
              + " bottom="
              + padBottom
              + " left="
              + padLeft
              + " right="
              + padRight);
    }
    Objects.requireNonNull(background, "background");
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    return new CropPad(
            -padTop,
            -padLeft,
            in.height() + padTop + padBottom,
            in.width() + padLeft + padRight,
            false,
            null,
            background)
        .apply(in, rng);
  }
}
