package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/** With probability {@code prob}: {@link Hue} with {@code delta ~ U(−maxDelta, maxDelta)}. */
public record RandomHue(double maxDelta, double prob) implements TabulatedPixelOp {
  public RandomHue {
    if (!(maxDelta >= 0 && maxDelta <= 180)) {
      throw new IllegalArgumentException("hue maxDelta must be in [0, 180], got " + maxDelta);
    }
    Randoms.probability("hue prob", prob);
  }

  @Override
  public void plan(PixelPlan plan, RandomGenerator rng) {
    if (Randoms.fires(rng, prob)) {
      float d = (float) Randoms.uniform(rng, -maxDelta, maxDelta);
      plan.map(0, x -> Hue.value(x, d));
    }
  }

  @Override
  public void apply(FloatImage image, RandomGenerator rng) {
    if (Randoms.fires(rng, prob)) {
      Hue.apply(image.data(), (float) Randoms.uniform(rng, -maxDelta, maxDelta));
    }
  }
}
