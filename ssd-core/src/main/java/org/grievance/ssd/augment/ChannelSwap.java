package org.grievance.ssd.augment;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Reorders the channels: output channel {@code c} is input channel {@code order[c]}. */
public record ChannelSwap(int[] order) implements TabulatedPixelOp {
  public ChannelSwap {
    if (order.length != 3) {
      throw new IllegalArgumentException(
          "channel order must have 3 entries, got " + Arrays.toString(order));
    }
    boolean[] seen = new boolean[3];
    for (int c : order) {
      if (c < 0 || c > 2 || seen[c]) {
        throw new IllegalArgumentException(
            "channel order must be a permutation of 0, 1, 2, got " + Arrays.toString(order));
      }
      seen[c] = true;
    }
    order = order.clone();
  }

  @Override
  public int[] order() {
    return order.clone();
  }

  @Override
  public void plan(PixelPlan plan, RandomGenerator rng) {
    plan.permute(order[0], order[1], order[2]);
  }

  @Override
  public void apply(FloatImage image, RandomGenerator rng) {
    apply(image.data(), order[0], order[1], order[2]);
  }

  static void apply(float[] px, int c0, int c1, int c2) {
    for (int i = 0; i < px.length; i += 3) {
      float a = px[i + c0];
      float b = px[i + c1];
      float c = px[i + c2];
      px[i] = a;
      px[i + 1] = b;
      px[i + 2] = c;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelSwap other && Arrays.equals(order, other.order);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(order);
  }

  @Override
  public String toString() {
    return "ChannelSwap" + Arrays.toString(order);
  }
}
