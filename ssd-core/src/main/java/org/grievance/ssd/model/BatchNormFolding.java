package org.grievance.ssd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.norm.BatchNorm;

/** Merges an inference-mode batch normalisation into the convolution feeding it. */
final class BatchNormFolding {
  private BatchNormFolding() {}

  /**
   * Writes into {@code target}'s weight and bias the folded parameters of {@code conv} followed by
   * {@code bn}: {@code s = γ / √(var + ε)}, {@code w' = w·s} (per output channel), {@code b' = (b −
   * μ)·s + β}. {@code target} must be an initialised convolution of the same shape with a bias.
   */
  static void fold(Convolution conv, BatchNorm bn, float epsilon, Convolution target) {
    NDArray weight = param(conv, "weight").getArray();
    NDArray targetWeight = param(target, "weight").getArray();
    NDArray targetBias = param(target, "bias").getArray();
    if (!weight.getShape().equals(targetWeight.getShape())) {
      throw new IllegalArgumentException(
          "cannot fold into a convolution of weight shape "
              + targetWeight.getShape()
              + ", source has "
              + weight.getShape());
    }
    // The scope closes every intermediate; results are copied into the target's own storage.
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray gamma = param(bn, "gamma").getArray();
      NDArray beta = param(bn, "beta").getArray();
      NDArray mean = param(bn, "runningMean").getArray();
      NDArray var = param(bn, "runningVar").getArray();
      NDArray scale = gamma.div(var.add(epsilon).sqrt());
      long outChannels = weight.getShape().get(0);
      NDArray foldedWeight = weight.mul(scale.reshape(new Shape(outChannels, 1, 1, 1)));
      NDArray centred =
          conv.isIncludeBias() ? param(conv, "bias").getArray().sub(mean) : mean.neg();
      NDArray foldedBias = centred.mul(scale).add(beta);
      overwrite(targetWeight, foldedWeight);
      overwrite(targetBias, foldedBias);
    }
  }

  /**
   * Copies values into {@code target}'s existing storage (an in-place index assignment; {@code
   * NDArray.copyTo} would instead swap the tensor's storage for a Java-owned buffer).
   */
  private static void overwrite(NDArray target, NDArray source) {
    // The folded network is for inference: its fresh parameters need no gradient, and an in-place
    // write into a leaf that wants one fails on any thread where PyTorch records gradients (every
    // thread but the one that started the engine), e.g. a server loading a promoted model.
    target.setRequiresGradient(false);
    target.set(new NDIndex("..."), source);
  }

  private static Parameter param(Block block, String name) {
    Parameter p = block.getDirectParameters().get(name);
    if (p == null || !p.isInitialized()) {
      throw new IllegalStateException(
          block.getClass().getSimpleName() + " has no initialised parameter '" + name + "'");
    }
    return p;
  }
}
