package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/**
 * Crops the largest patch of aspect ratio {@code patchAspectRatio} (w/h) at a random position: if
 * the image is narrower than the target, {@code w = W, h = round(W/ar)}, else {@code h = H, w =
 * round(H·ar)} (half to even); then {@link RandomPatch} with probability 1 that never rejects.
 */
public record RandomMaxCropFixedAR(
    double patchAspectRatio,
    BoxFilter boxFilter,
    ImageValidator imageValidator,
    int nTrialsMax,
    boolean clipBoxes)
    implements Transform {
  public RandomMaxCropFixedAR {
    if (!(patchAspectRatio > 0) || Double.isInfinite(patchAspectRatio)) {
      throw new IllegalArgumentException(
          "patchAspectRatio must be > 0 and finite, got " + patchAspectRatio);
    }
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    int h = in.height();
    int w = in.width();
    int ph;
    int pw;
    if ((double) w / h < patchAspectRatio) {
      pw = w;
      ph = Math.max(1, (int) Math.rint(w / patchAspectRatio));
    } else {
      ph = h;
      pw = Math.max(1, (int) Math.rint(h * patchAspectRatio));
    }
    PatchCoordinateGenerator gen =
        PatchCoordinateGenerator.builder().patchHeight(ph).patchWidth(pw).build();
    return new RandomPatch(
            gen, boxFilter, imageValidator, nTrialsMax, clipBoxes, 1.0, Background.BLACK, false)
        .apply(in, rng);
  }
}
