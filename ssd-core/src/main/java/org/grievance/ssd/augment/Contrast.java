package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/** {@code clip(127.5 + factor·(x − 127.5), 0, 255)} on every channel, in float32. */
public record Contrast(double factor) implements TabulatedPixelOp {
  public Contrast {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("contrast factor must be > 0 and finite, got " + factor);
    }
  }

  @Override
  public void plan(PixelPlan plan, RandomGenerator rng) {
    float f = (float) factor;
    plan.map(PixelPlan.ALL, x -> value(x, f));
  }

  @Override
  public void apply(FloatImage image, RandomGenerator rng) {
    apply(image.data(), (float) factor);
  }

  static void apply(float[] px, float factor) {
    for (int i = 0; i < px.length; i++) {
      px[i] = value(px[i], factor);
    }
  }

  /** One channel value; the fused path ({@link PixelPlan}) tabulates exactly this. */
  static float value(float x, float factor) {
    return Brightness.clip255(127.5f + factor * (x - 127.5f));
  }
}
