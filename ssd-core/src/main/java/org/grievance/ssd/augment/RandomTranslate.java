package org.grievance.ssd.augment;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * With probability {@code prob}: up to {@code max(1, nTrialsMax)} trials of a {@link Translate}
 * with magnitudes {@code ~ U(min, max)} per axis and a random sign each; a trial is accepted at
 * once when there are no labels or no validator, else when the validator accepts the shifted
 * (unclipped, unfiltered) labels. If every trial fails the input is returned unchanged.
 */
public record RandomTranslate(
    double dyMin,
    double dyMax,
    double dxMin,
    double dxMax,
    double prob,
    boolean clipBoxes,
    BoxFilter boxFilter,
    ImageValidator imageValidator,
    int nTrialsMax,
    Background background)
    implements Transform {
  public RandomTranslate {
    Randoms.ordered("translate dy range", dyMin, dyMax);
    Randoms.ordered("translate dx range", dxMin, dxMax);
    if (dyMin < 0 || dxMin < 0) {
      throw new IllegalArgumentException(
          "translate magnitudes must be >= 0, got dyMin=" + dyMin + " dxMin=" + dxMin);
    }
    Randoms.probability("translate prob", prob);
    Objects.requireNonNull(background, "background");
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    if (!Randoms.fires(rng, prob)) {
      return in;
    }
    int h = in.height();
    int w = in.width();
    for (int trial = 0; trial < Math.max(1, nTrialsMax); trial++) {
      double dy = Randoms.uniform(rng, dyMin, dyMax) * (rng.nextBoolean() ? 1 : -1);
      double dx = Randoms.uniform(rng, dxMin, dxMax) * (rng.nextBoolean() ? 1 : -1);
      Translate t = new Translate(dy, dx, clipBoxes, boxFilter, background);
      if (!in.hasLabels() || imageValidator == null) {
        return t.apply(in, rng);
      }
      double[][] shifted = Labels.shift(in.labels(), Math.rint(h * dy), Math.rint(w * dx));
      if (imageValidator.isValid(shifted, h, w)) {
        return t.apply(in, rng);
      }
    }
    return in;
  }
}
