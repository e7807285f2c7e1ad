package org.grievance.ssd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * An SSDLite extra feature layer: 1x1 convolution to {@code reduced} channels, 3x3 depthwise
 * convolution with stride 2, 1x1 convolution to {@code filters}; each with batch norm and ReLU6.
 * The depthwise-separable counterpart of SSD's 1x1 + 3x3/2 extra layers.
 */
final class SsdLiteExtraLayer extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int reduced;
  private final int filters;
  private final List<ConvBnAct> units;

  SsdLiteExtraLayer(int reduced, int filters, boolean batchNorm) {
    super(VERSION);
    this.reduced = reduced;
    this.filters = filters;
    units =
        List.of(
            new ConvBnAct(reduced, 1, 1, 1, true, batchNorm),
            new ConvBnAct(reduced, 3, 2, reduced, true, batchNorm),
            new ConvBnAct(filters, 1, 1, 1, true, batchNorm));
    children.add("reduce", units.get(0));
    children.add("depthwise", units.get(1));
    children.add("expand", units.get(2));
  }

  SsdLiteExtraLayer withoutBatchNorm() {
    return new SsdLiteExtraLayer(reduced, filters, false);
  }

  List<ConvBnAct> units() {
    return units;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    for (ConvBnAct unit : units) {
      x = unit.apply(ps, x, training, params);
    }
    return new NDList(x);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] shapes = inputShapes;
    for (ConvBnAct unit : units) {
      shapes = unit.getOutputShapes(shapes);
    }
    return shapes;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape[] shapes = inputShapes;
    for (ConvBnAct unit : units) {
      unit.initialize(manager, dataType, shapes);
      shapes = unit.getOutputShapes(shapes);
    }
  }
}
