package org.grievance.ssd.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import java.util.List;

/**
 * The extension point for SSD backbones: a block mapping a preprocessed image batch {@code (B, 3,
 * H, W)} to the {@link ai.djl.ndarray.NDList} of feature maps the predictor heads read, shallowest
 * first, each {@code (B, C, h, w)}.
 *
 * <p>Implementations register their weight-carrying layers as direct children under the reference's
 * layer names so weights can be found (and later imported) by name.
 */
public abstract class BaseNetwork extends AbstractBlock {
  protected BaseNetwork(byte version) {
    super(version);
  }

  /** How many feature maps {@code forward} returns. */
  public abstract int featureMapCount();

  /**
   * The feature maps {@code forward} returns for an {@code imageHeight x imageWidth} input, in
   * order; fails with a message naming the size when the input is too small for the network.
   */
  public abstract List<FeatureMapShape> featureMapShapes(int imageHeight, int imageWidth);

  /**
   * An inference-only copy with every batch normalisation folded into the convolution before it,
   * initialised in {@code manager}; parameters not touched by folding may be shared with this
   * network. Networks without batch normalisation return themselves.
   */
  public BaseNetwork foldBatchNorm(NDManager manager) {
    return this;
  }

  /** Output shapes for input shape {@code (B, 3, H, W)}, derived from {@link #featureMapShapes}. */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape input = inputShapes[0];
    if (input.dimension() != 4) {
      throw new IllegalArgumentException("input must be (batch, 3, height, width), got " + input);
    }
    List<FeatureMapShape> maps =
        featureMapShapes(Math.toIntExact(input.get(2)), Math.toIntExact(input.get(3)));
    Shape[] out = new Shape[maps.size()];
    for (int i = 0; i < out.length; i++) {
      FeatureMapShape m = maps.get(i);
      out[i] = new Shape(input.get(0), m.channels(), m.height(), m.width());
    }
    return out;
  }
}
