package org.grievance.ssd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * MobileNetV2's inverted residual block: 1x1 expansion to {@code t·in} channels (left out when
 * {@code t = 1}), 3x3 depthwise convolution with the block's stride, both with ReLU6, then a linear
 * 1x1 projection; the input is added back when the stride is 1 and the channel count unchanged.
 */
final class InvertedResidual extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int in;
  private final int out;
  private final int stride;
  private final int expandRatio;
  private final ConvBnAct expand;
  private final ConvBnAct depthwise;
  private final ConvBnAct project;
  private final boolean residual;

  InvertedResidual(int in, int out, int stride, int expandRatio, boolean batchNorm) {
    super(VERSION);
    this.in = in;
    this.out = out;
    this.stride = stride;
    this.expandRatio = expandRatio;
    int hidden = hiddenChannels(in, expandRatio);
    if (expandRatio != 1) {
      expand = new ConvBnAct(hidden, 1, 1, 1, true, batchNorm);
      children.add("expand", expand);
    } else {
      expand = null;
    }
    depthwise = new ConvBnAct(hidden, 3, stride, hidden, true, batchNorm);
    children.add("depthwise", depthwise);
    project = new ConvBnAct(out, 1, 1, 1, false, batchNorm);
    children.add("project", project);
    residual = stride == 1 && in == out;
  }

  /** Channels after the expansion. */
  static int hiddenChannels(int in, int expandRatio) {
    return in * expandRatio;
  }

  /** The same block with every batch norm folded away (uninitialised). */
  InvertedResidual withoutBatchNorm() {
    return new InvertedResidual(in, out, stride, expandRatio, false);
  }

  /** Its units in order, expansion first (for folding pairwise with the twin). */
  List<ConvBnAct> units() {
    List<ConvBnAct> units = new ArrayList<>(3);
    if (expand != null) {
      units.add(expand);
    }
    units.add(depthwise);
    units.add(project);
    return units;
  }

  /**
   * The expansion's output (the input itself when there is no expansion) and the block's output:
   * SSDLite reads its first feature map from the expansion of a stride-2 block.
   */
  NDArray[] forwardWithExpansion(
      ParameterStore ps, NDArray x, boolean training, PairList<String, Object> params) {
    NDArray expanded = expand == null ? x : expand.apply(ps, x, training, params);
    NDArray y =
        project.apply(ps, depthwise.apply(ps, expanded, training, params), training, params);
    return new NDArray[] {expanded, residual ? y.add(x) : y};
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forwardWithExpansion(ps, inputs.singletonOrThrow(), training, params)[1]);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] shapes = inputShapes;
    for (ConvBnAct unit : units()) {
      shapes = unit.getOutputShapes(shapes);
    }
    return shapes;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape[] shapes = inputShapes;
    for (ConvBnAct unit : units()) {
      unit.initialize(manager, dataType, shapes);
      shapes = unit.getOutputShapes(shapes);
    }
  }
}
