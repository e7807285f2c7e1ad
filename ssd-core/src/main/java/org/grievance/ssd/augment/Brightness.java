package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/** {@code clip(x + delta, 0, 255)} on every channel of an RGB float image, in float32. */
public record Brightness(double delta) implements TabulatedPixelOp {
  public Brightness {
    if (!Double.isFinite(delta)) {
      throw new IllegalArgumentException("brightness delta must be finite, got " + delta);
    }
  }

  @Override
  public void plan(PixelPlan plan, RandomGenerator rng) {
    float d = (float) delta;
    plan.map(PixelPlan.ALL, x -> value(x, d));
  }

  @Override
  public void apply(FloatImage image, RandomGenerator rng) {
    apply(image.data(), (float) delta);
  }

  static void apply(float[] px, float delta) {
    for (int i = 0; i < px.length; i++) {
      px[i] = value(px[i], delta);
    }
  }

  /** One channel value; the fused path ({@link PixelPlan}) tabulates exactly this. */
  static float value(float x, float delta) {
    return clip255(x + delta);
  }

  static float clip255(float v) {
    return v < 0f ? 0f : Math.min(v, 255f);
  }
}
