package org.grievance.ssd.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * An extra scalar added to the SSD loss, such as Keras-style L2 regularisation of the kernels.
 * Keras adds regularisation losses to both the training and the validation loss; the trainer does
 * the same and logs the term separately.
 */
@FunctionalInterface
public interface LossTerm {
  /** No extra term. */
  LossTerm NONE = (manager, training) -> null;

  /**
   * The term as a scalar, or {@code null} for none. Every array it creates must end up in {@code
   * manager} (the per-batch manager, closed after the step); operations on parameters put their
   * results in the parameters' manager, so attach each one to {@code manager} at once.
   *
   * @param training whether gradients are being recorded
   */
  NDArray compute(NDManager manager, boolean training);
}
