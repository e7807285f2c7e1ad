package org.grievance.ssd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Puts a {@code (B, C, H, W)} batch into channels-last memory order while keeping its logical
 * shape. LibTorch picks the memory format of a convolution from its input's strides and keeps it
 * through the following element-wise, batch-norm and pooling operations, so one copy of the input
 * makes the whole network run channels-last, where oneDNN's convolutions need no layout reorders
 * (inference of SSD7 at 300x480 measured about a fifth less CPU time). DJL has no memory-format
 * API: the flat reshape of the NHWC view forces the copy, the final transpose restores the shape.
 *
 * <p>Only for inference: training in this layout measured slower (batch-norm and pooling backward
 * passes), so {@link SsdModel} applies it when {@code training} is false.
 */
final class ChannelsLast {
  private ChannelsLast() {}

  /** The same values and shape, laid out as {@code (B, H, W, C)} in memory. */
  static NDArray apply(NDArray x) {
    Shape s = x.getShape();
    if (s.dimension() != 4) {
      throw new IllegalArgumentException("channels-last needs (batch, channels, h, w), got " + s);
    }
    return x.transpose(0, 2, 3, 1)
        .reshape(-1)
        .reshape(s.get(0), s.get(2), s.get(3), s.get(1))
        .transpose(0, 3, 1, 2);
  }
}
