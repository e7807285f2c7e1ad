package org.grievance.ssd.augment;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The original SSD's crop sampler (the reference's {@code RandomPatchInf}). Repeats rounds: draw
 * {@code p}; if the draw fails (probability {@code 1 − prob}) return the input unchanged; else draw
 * fresh validator bounds from the bound generator (if both exist) and try up to {@code nTrialsMax}
 * patches: a patch whose {@code w/h} lies outside the generator's aspect-ratio range is rejected
 * (even for {@code h_w}), otherwise it is accepted when there are no labels or no validator, or
 * when the validator accepts the shifted labels. Never rejects the sample.
 *
 * <p>Deviation: after {@code maxRounds} unsuccessful rounds the input is returned unchanged (the
 * reference loops forever when {@code prob == 1} and no patch can ever be valid). Bug fixed
 * (docs/reference-behaviour.md#quirk-7-patch-ops-need-labels): works without labels.
 */
public record RandomPatchInf(
    PatchCoordinateGenerator generator,
    BoxFilter boxFilter,
    ImageValidator imageValidator,
    BoundGenerator boundGenerator,
    int nTrialsMax,
    boolean clipBoxes,
    double prob,
    Background background,
    int maxRounds)
    implements Transform {
  /** The default round cap: practically never reached with {@code prob < 1}. */
  public static final int DEFAULT_MAX_ROUNDS = 1000;

  public RandomPatchInf {
    Objects.requireNonNull(generator, "generator");
    Objects.requireNonNull(background, "background");
    Randoms.probability("patch prob", prob);
    if (maxRounds <= 0) {
      throw new IllegalArgumentException("maxRounds must be positive, got " + maxRounds);
    }
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    int h = in.height();
    int w = in.width();
    for (int round = 0; round < maxRounds; round++) {
      if (!Randoms.fires(rng, prob)) {
        return in;
      }
      Bounds bounds =
          imageValidator != null && boundGenerator != null ? boundGenerator.next(rng) : null;
      for (int trial = 0; trial < nTrialsMax; trial++) {
        PatchCoords p = generator.generate(h, w, rng);
        double ar = (double) p.width() / p.height();
        if (ar < generator.minAspectRatio() || ar > generator.maxAspectRatio()) {
          continue;
        }
        if (RandomPatch.accepts(imageValidator, in, p, bounds)) {
          return RandomPatch.cut(in, p, clipBoxes, boxFilter, background, rng);
        }
      }
    }
    return in;
  }
}
