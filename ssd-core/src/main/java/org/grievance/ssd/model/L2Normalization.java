package org.grievance.ssd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import org.grievance.ssd.engine.TensorConstants;

/**
 * The reference's {@code L2Normalization} layer (docs/reference-behaviour.md#l2-normalisation):
 * every pixel's channel vector is scaled to unit L2 length and then multiplied by a learned
 * per-channel {@code gamma}: {@code y = gamma · x / sqrt(max(Σ_c x_c², 1e-12))}. SSD300/512 apply
 * it to conv4_3, whose activations are much larger than those of the deeper layers, with {@code
 * gamma} initialised to 20.
 *
 * <p>Input and output {@code (B, C, H, W)}; the single parameter is {@code gamma}, shape {@code
 * (C)}.
 */
public final class L2Normalization extends AbstractBlock {
  private static final byte VERSION = 1;

  /** The reference's initial scale. */
  public static final float DEFAULT_GAMMA = 20f;

  /** Keras' {@code l2_normalize} epsilon on the squared norm. */
  static final float EPSILON = 1e-12f;

  private final int channels;
  private final Parameter gamma;

  /**
   * @param channels the channel count (512 for conv4_3)
   * @param gammaInit initial value of every entry of {@code gamma}
   */
  public L2Normalization(int channels, float gammaInit) {
    super(VERSION);
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be >= 1, got " + channels);
    }
    if (!Float.isFinite(gammaInit)) {
      throw new IllegalArgumentException("gammaInit must be finite, got " + gammaInit);
    }
    this.channels = channels;
    this.gamma =
        addParameter(
            Parameter.builder()
                .setName("gamma")
                .setType(Parameter.Type.GAMMA)
                .optShape(new Shape(channels))
                .optInitializer(new ConstantInitializer(gammaInit))
                .build());
  }

  public int channels() {
    return channels;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    if (x.getShape().dimension() != 4 || x.getShape().get(1) != channels) {
      throw new IllegalArgumentException(
          "L2Normalization expects (batch, " + channels + ", h, w), got " + x.getShape());
    }
    NDArray g = parameterStore.getValue(gamma, x.getDevice(), training);
    NDArray sumSquares = x.square().sum(new int[] {1}, true);
    NDArray norm = sumSquares.maximum(TensorConstants.scalarLike(sumSquares, EPSILON)).sqrt();
    return new NDList(x.div(norm).mul(g.reshape(1, channels, 1, 1)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    // no children; gamma's shape is fixed at construction
  }
}
