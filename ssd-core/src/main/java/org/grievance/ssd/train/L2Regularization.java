package org.grievance.ssd.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.function.Predicate;
import org.grievance.ssd.engine.TensorConstants;

/**
 * Keras {@code l2(λ)} regularisation: {@code λ·Σw²} over the selected parameters. The reference
 * regularises every Conv2D kernel (heads included) and leaves biases and batch-norm parameters
 * alone; {@link #convKernels} selects exactly those (weights with four dimensions).
 */
public final class L2Regularization implements LossTerm {
  private final Block block;
  private final double lambda;
  private final Predicate<Parameter> selected;

  /**
   * @param lambda the factor, {@code >= 0}
   * @param selected which of the block's parameters are regularised (evaluated on initialised
   *     parameters at each call, so blocks may be initialised later)
   */
  public L2Regularization(Block block, double lambda, Predicate<Parameter> selected) {
    if (!Double.isFinite(lambda) || lambda < 0) {
      throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
    }
    this.block = block;
    this.lambda = lambda;
    this.selected = selected;
  }

  /** {@code λ·Σw²} over the four-dimensional weights (convolution kernels) of {@code block}. */
  public static L2Regularization convKernels(Block block, double lambda) {
    return new L2Regularization(
        block,
        lambda,
        p ->
            p.getType() == Parameter.Type.WEIGHT
                && p.isInitialized()
                && p.getArray().getShape().dimension() == 4);
  }

  /** The factor λ. */
  public double lambda() {
    return lambda;
  }

  @Override
  public NDArray compute(NDManager manager, boolean training) {
    if (lambda == 0) {
      return null;
    }
    List<Parameter> params = block.getParameters().values().stream().filter(selected).toList();
    NDArray total = null;
    for (Parameter p : params) {
      NDArray squares = p.getArray().square();
      squares.attach(manager); // created in the parameter's manager; move before anything else
      NDArray sum = squares.sum();
      total = total == null ? sum : total.add(sum);
    }
    return total == null ? null : TensorConstants.times(total, lambda);
  }
}
