package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/**
 * {@code H = (H + delta) mod 180} (floor modulo, OpenCV's 8-bit hue range) on channel 0 of an HSV
 * float image, in float32.
 */
public record Hue(double delta) implements TabulatedPixelOp {
  public Hue {
    if (!(delta >= -180 && delta <= 180)) {
      throw new IllegalArgumentException("hue delta must be in [-180, 180], got " + delta);
    }
  }

  @Override
  public void plan(PixelPlan plan, RandomGenerator rng) {
    float d = (float) delta;
    plan.map(0, x -> value(x, d));
  }

  @Override
  public void apply(FloatImage image, RandomGenerator rng) {
    apply(image.data(), (float) delta);
  }

  static void apply(float[] px, float delta) {
    for (int i = 0; i < px.length; i += 3) {
      px[i] = value(px[i], delta);
    }
  }

  /** One hue value; the fused path ({@link PixelPlan}) tabulates exactly this. */
  static float value(float hue, float delta) {
    float h = (hue + delta) % 180f;
    if (h != 0f && h < 0f) {
      h += 180f;
    }
    return h;
  }
}
