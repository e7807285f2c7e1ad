package org.grievance.ssd.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * An SSDLite predictor: the regular 3x3 head convolution replaced by a depthwise-separable one, a
 * 3x3 depthwise convolution with batch norm and ReLU6 followed by a linear 1x1 convolution with
 * bias to the predicted channels (MobileNetV2 paper, section 6.2). Its only bias is the 1x1 one, so
 * a class prior ({@link SsdHeads#setClassPrior}) lands on the output channels.
 */
public final class SsdLitePredictor extends AbstractBlock {
  private static final byte VERSION = 1;

  private final ConvBnAct depthwise;
  private final Conv2d pointwise;

  SsdLitePredictor(int inChannels, int filters) {
    super(VERSION);
    depthwise = new ConvBnAct(inChannels, 3, 1, inChannels, true, true);
    pointwise =
        Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(filters).optBias(true).build();
    pointwise.setInitializer(new HeNormalInitializer(), Parameter.Type.WEIGHT);
    children.add("depthwise", depthwise);
    children.add("pointwise", pointwise);
  }

  /** A factory for {@link SsdHeads}: feature map {@code layer} has {@code channels[layer]}. */
  public static SsdHeads.PredictorFactory factory(int[] channels) {
    int[] copy = channels.clone();
    return (layer, filters) -> new SsdLitePredictor(copy[layer], filters);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return pointwise.forward(ps, depthwise.forward(ps, inputs, training, params), training, params);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return pointwise.getOutputShapes(depthwise.getOutputShapes(inputShapes));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    depthwise.initialize(manager, dataType, inputShapes);
    pointwise.initialize(manager, dataType, depthwise.getOutputShapes(inputShapes));
  }
}
