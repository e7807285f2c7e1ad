package org.grievance.ssd.augment;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Pads the image to aspect ratio {@code patchAspectRatio} (w/h) with the background colour, placing
 * it at a random position: if the image is narrower than the target the width grows to {@code
 * round(H·ar)}, else the height grows to {@code round(W/ar)}. Labels are shifted only.
 *
 * <p>Bug fixed (docs/reference-behaviour.md#quirk-12-randompadfixedar-may-crop): the reference
 * decides by orientation ({@code W < H}), not by comparing ratios, and so crops instead of padding
 * for some ratios ≠ 1; this op always pads (never loses pixels or boxes), which is what its name
 * and the padding colour promise.
 */
public record RandomPadFixedAR(double patchAspectRatio, Background background)
    implements Transform {
  public RandomPadFixedAR {
    if (!(patchAspectRatio > 0) || Double.isInfinite(patchAspectRatio)) {
      throw new IllegalArgumentException(
          "patchAspectRatio must be > 0 and finite, got " + patchAspectRatio);
    }
    Objects.requireNonNull(background, "background");
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    int h = in.height();
    int w = in.width();
    int ph = h;
    int pw = w;
    if ((double) w / h < patchAspectRatio) {
      pw = Math.max(w, (int) Math.rint(h * patchAspectRatio));
    } else {
      ph = Math.max(h, (int) Math.rint(w / patchAspectRatio));
    }
    int ymin = Randoms.intInclusive(rng, h - ph, 0);
    int xmin = Randoms.intInclusive(rng, w - pw, 0);
    return new CropPad(ymin, xmin, ph, pw, false, null, background).apply(in, rng);
  }
}
