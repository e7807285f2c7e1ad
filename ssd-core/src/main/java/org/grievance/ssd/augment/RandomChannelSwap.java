package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/** With probability {@code prob}: one of the five non-identity channel orders, uniformly. */
public record RandomChannelSwap(double prob) implements TabulatedPixelOp {
  private static final int[][] PERMUTATIONS = {
    {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}
  };

  public RandomChannelSwap {
    Randoms.probability("channel swap prob", prob);
  }

  @Override
  public void plan(PixelPlan plan, RandomGenerator rng) {
    if (Randoms.fires(rng, prob)) {
      int[] o = PERMUTATIONS[rng.nextInt(PERMUTATIONS.length)];
      plan.permute(o[0], o[1], o[2]);
    }
  }

  @Override
  public void apply(FloatImage image, RandomGenerator rng) {
    if (Randoms.fires(rng, prob)) {
      int[] o = PERMUTATIONS[rng.nextInt(PERMUTATIONS.length)];
      ChannelSwap.apply(image.data(), o[0], o[1], o[2]);
    }
  }
}
