package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/** With probability {@code prob}: {@link Brightness} with {@code delta ~ U(lower, upper)}. */
public record RandomBrightness(double lower, double upper, double prob)
    implements TabulatedPixelOp {
  public RandomBrightness {
    Randoms.ordered("brightness delta range", lower, upper);
    Randoms.probability("brightness prob", prob);
  }

  @Override
  public void plan(PixelPlan plan, RandomGenerator rng) {
    if (Randoms.fires(rng, prob)) {
      float d = (float) Randoms.uniform(rng, lower, upper);
      plan.map(PixelPlan.ALL, x -> Brightness.value(x, d));
    }
  }

  @Override
  public void apply(FloatImage image, RandomGenerator rng) {
    if (Randoms.fires(rng, prob)) {
      Brightness.apply(image.data(), (float) Randoms.uniform(rng, lower, upper));
    }
  }
}
