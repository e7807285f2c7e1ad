package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/**
 * With probability {@code prob}: {@link Saturation} with {@code factor ~ U(lower, upper)} (HSV
 * image). The reference requires {@code lower < upper}.
 */
public record RandomSaturation(double lower, double upper, double prob)
    implements TabulatedPixelOp {
  public RandomSaturation {
    if (!(lower > 0)) {
      throw new IllegalArgumentException("saturation lower factor must be > 0, got " + lower);
    }
    if (!(lower < upper)) {
      throw new IllegalArgumentException(
          "saturation lower factor " + lower + " must be below upper factor " + upper);
    }
    Randoms.probability("saturation prob", prob);
  }

  @Override
  public void plan(PixelPlan plan, RandomGenerator rng) {
    if (Randoms.fires(rng, prob)) {
      float f = (float) Randoms.uniform(rng, lower, upper);
      plan.map(1, x -> Saturation.value(x, f));
    }
  }

  @Override
  public void apply(FloatImage image, RandomGenerator rng) {
    if (Randoms.fires(rng, prob)) {
      Saturation.apply(image.data(), (float) Randoms.uniform(rng, lower, upper));
    }
  }
}
