package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/**
 * The reference's {@code ConvertDataType('uint8')} followed by {@code ConvertDataType('float32')}:
 * round half to even (saturating to [0, 255]) in place. Chains use it where the reference goes to
 * uint8 and back; {@link ConvertColor} already includes this step.
 */
public enum ConvertDataType implements TabulatedPixelOp {
  /** Round to uint8 values, keep the float buffer. */
  UINT8_ROUND_TRIP;

  @Override
  public void plan(PixelPlan plan, RandomGenerator rng) {
    plan.quantize();
  }

  @Override
  public void apply(FloatImage image, RandomGenerator rng) {
    quantize(image.data());
  }

  static void quantize(float[] px) {
    for (int i = 0; i < px.length; i++) {
      px[i] = FloatImage.toUint8(px[i]);
    }
  }
}
