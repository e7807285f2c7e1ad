package org.grievance.ssd.spec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.grievance.ssd.model.BaseNetwork;
import org.grievance.ssd.model.FeatureMapShape;
import org.grievance.ssd.model.HeNormalInitializer;

/**
 * A toy backbone for the extension-point tests: four 3x3 stride-2 ReLU convolutions; the outputs of
 * the third and fourth (1/8 and 1/16 of the input) are the feature maps. The tutorial in
 * docs/beyond-the-reference.md#adding-your-own-base-network shows the same network.
 */
public final class TinyBase extends BaseNetwork {
  private static final int[] FILTERS = {16, 32, 32, 32};
  private final Conv2d[] convs = new Conv2d[FILTERS.length];

  public TinyBase() {
    super((byte) 1);
    for (int i = 0; i < convs.length; i++) {
      convs[i] =
          Conv2d.builder()
              .setKernelShape(new Shape(3, 3))
              .optStride(new Shape(2, 2))
              .optPadding(new Shape(1, 1))
              .setFilters(FILTERS[i])
              .build();
      convs[i].setInitializer(new HeNormalInitializer(), Parameter.Type.WEIGHT);
      children.add("conv" + (i + 1), convs[i]);
    }
  }

  @Override
  public int featureMapCount() {
    return 2;
  }

  @Override
  public List<FeatureMapShape> featureMapShapes(int height, int width) {
    int h = height;
    int w = width;
    FeatureMapShape[] maps = new FeatureMapShape[2];
    for (int i = 0; i < convs.length; i++) {
      h = (h + 1) / 2; // 3x3, stride 2, padding 1: ceil(h / 2)
      w = (w + 1) / 2;
      if (i >= 2) {
        maps[i - 2] = new FeatureMapShape("conv" + (i + 1), FILTERS[i], h, w);
      }
    }
    return List.of(maps);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDList maps = new NDList();
    for (int i = 0; i < convs.length; i++) {
      x = Activation.relu(convs[i].forward(ps, new NDList(x), training, params).head());
      if (i >= 2) {
        maps.add(x);
      }
    }
    return maps;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
    Shape shape = inputs[0];
    for (Conv2d conv : convs) {
      conv.initialize(manager, dataType, shape);
      shape = conv.getOutputShapes(new Shape[] {shape})[0];
    }
  }
}
