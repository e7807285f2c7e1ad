package org.grievance.ssd.augment;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * With probability {@code prob}: up to {@code max(1, nTrialsMax)} trials of a {@link Scale} with
 * {@code factor ~ U(minFactor, maxFactor)}; acceptance as in {@link RandomTranslate} (validator on
 * the mapped, rounded, unclipped labels). If every trial fails the input is returned unchanged.
 */
public record RandomScale(
    double minFactor,
    double maxFactor,
    double prob,
    boolean clipBoxes,
    BoxFilter boxFilter,
    ImageValidator imageValidator,
    int nTrialsMax,
    Background background)
    implements Transform {
  public RandomScale {
    if (!(minFactor > 0)) {
      throw new IllegalArgumentException("scale minFactor must be > 0, got " + minFactor);
    }
    Randoms.ordered("scale factor range", minFactor, maxFactor);
    Randoms.probability("scale prob", prob);
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
      double factor = Randoms.uniform(rng, minFactor, maxFactor);
      Scale s = new Scale(factor, clipBoxes, boxFilter, background);
      if (!in.hasLabels() || imageValidator == null) {
        return s.apply(in, rng);
      }
      if (imageValidator.isValid(Scale.mapLabels(in.labels(), factor, h, w), h, w)) {
        return s.apply(in, rng);
      }
    }
    return in;
  }
}
