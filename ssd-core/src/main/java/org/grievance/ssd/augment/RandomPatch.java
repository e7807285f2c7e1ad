package org.grievance.ssd.augment;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * With probability {@code prob}: up to {@code max(1, nTrialsMax)} patches from the generator; a
 * patch is accepted at once when there are no labels or no validator, else when the validator
 * accepts the labels shifted into the patch (patch size); the accepted patch is cut with {@link
 * CropPad}. When every trial fails: {@code null} (the sample is rejected) if {@code canFail}, else
 * the unchanged input.
 *
 * <p>Bug fixed (docs/reference-behaviour.md#quirk-7-patch-ops-need-labels): works without labels;
 * an image without labels (zero rows) needs no validation.
 */
public record RandomPatch(
    PatchCoordinateGenerator generator,
    BoxFilter boxFilter,
    ImageValidator imageValidator,
    int nTrialsMax,
    boolean clipBoxes,
    double prob,
    Background background,
    boolean canFail)
    implements Transform {
  public RandomPatch {
    Objects.requireNonNull(generator, "generator");
    Objects.requireNonNull(background, "background");
    Randoms.probability("patch prob", prob);
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    if (!Randoms.fires(rng, prob)) {
      return in;
    }
    int h = in.height();
    int w = in.width();
    for (int trial = 0; trial < Math.max(1, nTrialsMax); trial++) {
      PatchCoords p = generator.generate(h, w, rng);
      if (accepts(imageValidator, in, p, null)) {
        return cut(in, p, clipBoxes, boxFilter, background, rng);
      }
    }
    return canFail ? null : in;
  }

  /** Whether the validator (with {@code bounds}, or its own when null) accepts the patch. */
  static boolean accepts(ImageValidator validator, Labeled in, PatchCoords p, Bounds bounds) {
    if (!in.hasLabels() || validator == null) {
      return true;
    }
    double[][] shifted = Labels.shift(in.labels(), -p.xmin(), -p.ymin());
    return bounds == null
        ? validator.isValid(shifted, p.height(), p.width())
        : validator.isValid(shifted, p.height(), p.width(), bounds);
  }

  static Labeled cut(
      Labeled in,
      PatchCoords p,
      boolean clip,
      BoxFilter filter,
      Background background,
      RandomGenerator rng) {
    return new CropPad(p.ymin(), p.xmin(), p.height(), p.width(), clip, filter, background)
        .apply(in, rng);
  }
}
