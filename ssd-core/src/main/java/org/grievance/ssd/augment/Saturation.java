package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/** {@code S = clip(S·factor, 0, 255)} on channel 1 of an HSV float image, in float32. */
public record Saturation(double factor) implements TabulatedPixelOp {
  public Saturation {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("saturation factor must be > 0 and finite, got " + factor);
    }
  }

  @Override
  public void plan(PixelPlan plan, RandomGenerator rng) {
    float f = (float) factor;
    plan.map(1, x -> value(x, f));
  }

  @Override
  public void apply(FloatImage image, RandomGenerator rng) {
    apply(image.data(), (float) factor);
  }

  static void apply(float[] px, float factor) {
    for (int i = 1; i < px.length; i += 3) {
      px[i] = value(px[i], factor);
    }
  }

  /** One saturation value; the fused path ({@link PixelPlan}) tabulates exactly this. */
  static float value(float s, float factor) {
    return Brightness.clip255(s * factor);
  }
}
