package org.grievance.ssd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Keras {@code he_normal} for convolution kernels laid out {@code (out, in, kh, kw)}: a normal
 * distribution truncated at two standard deviations whose variance is {@code 2 / fan_in}, {@code
 * fan_in = in * kh * kw}. As in current Keras the pre-truncation deviation is divided by 0.8796
 * (the deviation of a standard normal cut at ±2) so the kept values really have variance {@code 2 /
 * fan_in}.
 */
public final class HeNormalInitializer implements Initializer {
  /** Standard deviation of a standard normal truncated to [-2, 2]. */
  private static final double TRUNCATED_STDDEV = 0.87962566103423978;

  private static final int MAX_RESAMPLING_ROUNDS = 64;

  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    if (shape.dimension() < 2 || shape.get(0) < 1) {
      throw new IllegalArgumentException("he_normal needs a (out, in, ...) shape, got " + shape);
    }
    long fanIn = shape.size() / shape.get(0);
    float stddev = (float) (Math.sqrt(2.0 / fanIn) / TRUNCATED_STDDEV);
    try (NDManager scratch = manager.newSubManager()) {
      NDArray values = scratch.randomNormal(0f, 1f, shape, dataType);
      for (int round = 0; round < MAX_RESAMPLING_ROUNDS; round++) {
        NDArray outside = values.abs().gt(2f);
        if (!outside.any().getBoolean()) {
          break;
        }
        values = NDArrays.where(outside, scratch.randomNormal(0f, 1f, shape, dataType), values);
      }
      NDArray result = values.clip(-2f, 2f).mul(stddev);
      result.attach(manager);
      return result;
    }
  }
}
