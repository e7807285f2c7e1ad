package org.grievance.ssd.spec;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import org.grievance.ssd.model.SsdModel;

/**
 * Counts the multiply-accumulates (MACs) of one image's forward pass through the convolution and
 * fully connected layers of a network, the measure the MobileNet papers call "multiply-adds";
 * {@link Count#flops()} is twice that. A convolution producing {@code h×w×c_out} from {@code c_in}
 * channels with a {@code k_h×k_w} kernel in {@code g} groups costs {@code
 * h·w·c_out·(c_in/g)·k_h·k_w} MACs; a fully connected layer {@code in·out}. Batch normalisation
 * (foldable into the convolutions), activations, pooling, additions and biases are not counted, as
 * is usual.
 *
 * <p>Shapes come from the blocks' recorded input shapes, so any initialised network built of DJL
 * {@link Convolution} and {@link Linear} blocks can be counted, custom backbones included.
 */
public final class FlopCounter {
  private FlopCounter() {}

  /**
   * The count of one image.
   *
   * @param macs multiply-accumulates
   * @param parameters parameter values of the network (batch-norm statistics included)
   */
  public record Count(long macs, long parameters) {
    /** Floating-point operations, {@code 2·macs}. */
    public long flops() {
      return 2 * macs;
    }
  }

  /** The count of the network {@code description} describes, at its input size (built here). */
  public static Count count(ModelDescription description) {
    try (NDManager manager = NDManager.newBaseManager()) {
      SsdModel model = SsdModels.create(manager, description);
      return new Count(macs(model), model.parameterCount());
    }
  }

  /**
   * MACs per image of an initialised block, summed over every convolution and linear layer below it
   * at the input shapes it was initialised with (divided by their batch size).
   */
  public static long macs(Block block) {
    if (!block.isInitialized()) {
      throw new IllegalStateException("initialise the block before counting its operations");
    }
    return sum(block);
  }

  private static long sum(Block block) {
    long total = 0;
    if (block instanceof Convolution || block instanceof Linear) {
      total += own(block);
    }
    for (Pair<String, Block> child : block.getChildren()) {
      total += sum(child.getValue());
    }
    return total;
  }

  private static long own(Block block) {
    Shape[] inputs = block.getInputShapes();
    Shape out = block.getOutputShapes(inputs)[0];
    Parameter weight = block.getDirectParameters().get("weight");
    Shape w = weight.getArray().getShape();
    long batch = Math.max(1, inputs[0].get(0));
    if (block instanceof Convolution) {
      // weight (c_out, c_in/g, k...): each output value takes c_in/g · Πk multiply-accumulates.
      return out.size() / batch * (w.size() / w.get(0));
    }
    // Linear: weight (out, in); every output value of every leading position costs `in`.
    return out.size() / batch * w.get(1);
  }
}
