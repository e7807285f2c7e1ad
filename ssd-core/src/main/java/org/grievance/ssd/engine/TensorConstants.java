package org.grievance.ssd.engine;

import ai.djl.ndarray.NDArray;

/**
 * Constants for arithmetic on arrays that need gradients.
 *
 * <p>Why: DJL's PyTorch engine turns the number in {@code x.mul(0.5)} (and {@code div}, {@code
 * pow}, {@code maximum}, ... of a {@code Number}) into a tensor that points into a small Java
 * direct buffer, and closes it as soon as the operation returns. Autograd keeps that tensor for the
 * backward pass ({@code d(x·c)/dx = c}), but nothing keeps the buffer: once the garbage collector
 * has collected it, its memory is freed and handed out again, and the backward pass reads whatever
 * was written there since. Training then computed a different gradient now and then, at steps whose
 * forward pass and loss were bit-identical (docs/quickstart.md, "Where runs part"). A constant made
 * here is allocated by LibTorch itself, so autograd's reference keeps its memory alive.
 */
public final class TensorConstants {
  private TensorConstants() {}

  /**
   * {@code value} as a scalar array of {@code like}'s data type, in {@code like}'s manager and in
   * memory that LibTorch owns: safe to multiply, divide, compare or raise an array that needs
   * gradients by. The value is exact for a {@code FLOAT64} array.
   */
  public static NDArray scalarLike(NDArray like, double value) {
    try (NDArray javaBacked = like.getManager().create(value)) {
      return javaBacked.toType(like.getDataType(), true); // a copy, allocated by LibTorch
    }
  }

  /** {@code a·c}, with the constant made by {@link #scalarLike}: safe on a gradient path. */
  public static NDArray times(NDArray a, double c) {
    return a.mul(scalarLike(a, c));
  }
}
