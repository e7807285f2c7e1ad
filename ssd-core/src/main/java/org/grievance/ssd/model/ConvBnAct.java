package org.grievance.ssd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The MobileNet unit: a square convolution with "same"-style padding {@code k/2} (so a stride-2
 * layer yields {@code ceil(h/2)}), then batch normalisation, then optionally ReLU6. With batch
 * normalisation the convolution has no bias (the BN shift replaces it); the folded inference twin
 * ({@link #withoutBatchNorm()}) has one.
 */
final class ConvBnAct extends AbstractBlock {
  private static final byte VERSION = 1;

  /** Moving-statistics momentum, as {@link Ssd7Base} (PyTorch's default; see there why). */
  static final float BN_MOMENTUM = 0.9f;

  /** TensorFlow's MobileNet epsilon. */
  static final float BN_EPSILON = 1e-3f;

  private static final int RELU6_CAP = 6;

  private final int filters;
  private final int kernel;
  private final int stride;
  private final int groups;
  private final boolean relu6;
  private final Conv2d conv;
  private final BatchNorm bn;

  /**
   * @param groups 1 for a full convolution, the input channel count for a depthwise one
   * @param relu6 whether ReLU6 follows (false for MobileNetV2's linear bottleneck projection)
   * @param batchNorm whether batch normalisation follows the convolution
   */
  ConvBnAct(int filters, int kernel, int stride, int groups, boolean relu6, boolean batchNorm) {
    super(VERSION);
    this.filters = filters;
    this.kernel = kernel;
    this.stride = stride;
    this.groups = groups;
    this.relu6 = relu6;
    conv =
        Conv2d.builder()
            .setKernelShape(new Shape(kernel, kernel))
            .setFilters(filters)
            .optStride(new Shape(stride, stride))
            .optPadding(new Shape(kernel / 2, kernel / 2))
            .optGroups(groups)
            .optBias(!batchNorm)
            .build();
    conv.setInitializer(new HeNormalInitializer(), Parameter.Type.WEIGHT);
    children.add("conv", conv);
    if (batchNorm) {
      bn = BatchNorm.builder().optMomentum(BN_MOMENTUM).optEpsilon(BN_EPSILON).build();
      children.add("bn", bn);
    } else {
      bn = null;
    }
  }

  /** The same unit without batch normalisation, its convolution with a bias: the folded form. */
  ConvBnAct withoutBatchNorm() {
    return new ConvBnAct(filters, kernel, stride, groups, relu6, false);
  }

  /** Writes this unit's convolution with its batch norm folded in into {@code target}'s. */
  void foldInto(ConvBnAct target) {
    if (bn == null) {
      throw new IllegalStateException("this unit has no batch normalisation to fold");
    }
    BatchNormFolding.fold(conv, bn, BN_EPSILON, target.conv);
  }

  NDArray apply(ParameterStore ps, NDArray x, boolean training, PairList<String, Object> params) {
    return forward(ps, new NDList(x), training, params).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList x = conv.forward(ps, inputs, training, params);
    if (bn != null) {
      x = bn.forward(ps, x, training, params);
    }
    return relu6 ? new NDList(relu6(x.singletonOrThrow())) : x;
  }

  /**
   * ReLU6 as one clamp to [0, 6]. DJL's {@code Activation.relu6} is a ReLU then an element-wise
   * minimum against a freshly created scalar array: two full passes over the activation, two output
   * allocations and a host-to-native copy per call, which profiled (perf, one thread) at over a
   * quarter of MobileNetV2-SSDLite's forward time, nearly as much as all its convolutions
   * (docs/speed.md). Same values; the gradient differs only at exactly 0 and 6.
   */
  static NDArray relu6(NDArray x) {
    return x.clip(0, RELU6_CAP);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return conv.getOutputShapes(inputShapes);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    conv.initialize(manager, dataType, inputShapes);
    if (bn != null) {
      bn.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }
  }
}
