package org.grievance.ssd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * 2x2 max pooling with stride 2 and valid (floor) padding on {@code (B, C, H, W)}.
 *
 * <p>Why two ways: for inference it takes the elementwise maximum of the four stride-2 views of the
 * input, which measured 5-7x faster than LibTorch's generic index-tracking pooling kernel ({@code
 * Pool.maxPool2d}) on a (1, 32, 300, 480) map. In training that trick loses: the backward pass of
 * each strided view materialises a zero-filled gradient of the full map (forward + backward of a
 * (8, 32, 144, 192) map took 297 ms against 64 ms with the pooling kernel), so training uses the
 * kernel. Both give identical values; gradients differ only where two inputs of a window tie
 * exactly.
 */
public final class MaxPool2x2 {
  private static final Shape WINDOW = new Shape(2, 2);
  private static final Shape NO_PADDING = new Shape(0, 0);

  private MaxPool2x2() {}

  /**
   * The pooled map {@code (B, C, floor(H/2), floor(W/2))}; {@code training} picks the form whose
   * backward pass is cheap.
   *
   * @throws IllegalArgumentException if the input is not 4-D or a spatial side is below 2
   */
  public static NDArray apply(NDArray x, boolean training) {
    Shape s = x.getShape();
    if (s.dimension() != 4) {
      throw new IllegalArgumentException("max pooling needs (batch, channels, h, w), got " + s);
    }
    long h = s.get(2) / 2 * 2;
    long w = s.get(3) / 2 * 2;
    if (h == 0 || w == 0) {
      throw new IllegalArgumentException("2x2 max pooling needs a map of at least 2x2, got " + s);
    }
    if (training) {
      return Pool.maxPool2d(x, WINDOW, WINDOW, NO_PADDING, false);
    }
    NDArray topLeft = x.get(new NDIndex(":, :, 0:{}:2, 0:{}:2", h, w));
    NDArray topRight = x.get(new NDIndex(":, :, 0:{}:2, 1:{}:2", h, w));
    NDArray bottomLeft = x.get(new NDIndex(":, :, 1:{}:2, 0:{}:2", h, w));
    NDArray bottomRight = x.get(new NDIndex(":, :, 1:{}:2, 1:{}:2", h, w));
    return topLeft.maximum(topRight).maximum(bottomLeft.maximum(bottomRight));
  }
}
