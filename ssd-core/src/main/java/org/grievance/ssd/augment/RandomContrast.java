package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/** With probability {@code prob}: {@link Contrast} with {@code factor ~ U(lower, upper)}. */
public record RandomContrast(double lower, double upper, double prob) implements TabulatedPixelOp {
  public RandomContrast {
    if (!(lower > 0)) {
      throw new IllegalArgumentException("contrast lower factor must be > 0, got " + lower);
    }
    Randoms.ordered("contrast factor range", lower, upper);
    Randoms.probability("contrast prob", prob);
  }

  @Override
  public void plan(PixelPlan plan, RandomGenerator rng) {
    if (Randoms.fires(rng, prob)) {
      float f = (float) Randoms.uniform(rng, lower, upper);
      plan.map(PixelPlan.ALL, x -> Contrast.value(x, f));
    }
  }

  @Override
  public void apply(FloatImage image, RandomGenerator rng) {
    if (Randoms.fires(rng, prob)) {
      Contrast.apply(image.data(), (float) Randoms.uniform(rng, lower, upper));
    }
  }
}
