package org.grievance.ssd.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.grievance.ssd.model.SsdModel;

/** Shared helpers for the model tests. */
public final class ModelTesting {
  private ModelTesting() {}

  /**
   * Gives every batch normalisation of {@code model} non-trivial statistics and affine parameters
   * (fresh ones are mean 0, var 1, γ 1, β 0, which would make folding look right by accident).
   */
  public static void randomiseBatchNorms(SsdModel model, NDManager scratch) {
    for (Map.Entry<String, Block> layer : model.layers().entrySet()) {
      if (layer.getValue() instanceof BatchNorm bn) {
        var params = bn.getDirectParameters();
        overwrite(params.get("gamma").getArray(), scratch, 0.5f, 1.5f);
        overwrite(params.get("beta").getArray(), scratch, -0.5f, 0.5f);
        overwrite(params.get("runningMean").getArray(), scratch, -0.5f, 0.5f);
        overwrite(params.get("runningVar").getArray(), scratch, 0.5f, 2f);
      }
    }
  }

  /** As {@link #randomiseBatchNorms}, for batch norms at any depth below {@code block}. */
  public static void randomiseAllBatchNorms(Block block, NDManager scratch) {
    if (block instanceof BatchNorm bn) {
      var params = bn.getDirectParameters();
      overwrite(params.get("gamma").getArray(), scratch, 0.5f, 1.5f);
      overwrite(params.get("beta").getArray(), scratch, -0.5f, 0.5f);
      overwrite(params.get("runningMean").getArray(), scratch, -0.5f, 0.5f);
      overwrite(params.get("runningVar").getArray(), scratch, 0.5f, 2f);
    }
    for (var child : block.getChildren()) {
      randomiseAllBatchNorms(child.getValue(), scratch);
    }
  }

  private static void overwrite(NDArray target, NDManager scratch, float low, float high) {
    target.set(new NDIndex("..."), scratch.randomUniform(low, high, target.getShape()));
  }

  /** Inference-mode forward pass; results live in {@code images}' manager. */
  public static NDList infer(SsdModel model, NDArray images) {
    return model.forward(new ParameterStore(images.getManager(), false), new NDList(images), false);
  }

  /** Largest absolute element-wise difference of two equally shaped arrays. */
  public static float maxAbsDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }
}
