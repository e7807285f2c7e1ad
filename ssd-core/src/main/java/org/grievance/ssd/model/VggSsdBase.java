package org.grievance.ssd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.anchor.FeatureMapSize;
import org.grievance.ssd.anchor.PredictorGeometry;

/**
 * The VGG-16 base of SSD300 and SSD512 (docs/reference-behaviour.md#ssd300, #ssd512), the Caffe
 * "fc-reduced" VGG the published weights were trained with: conv1_1…conv5_3 (3x3, ReLU) with 2x2/2
 * max pools whose 'same' padding rounds odd sizes up (75 → 38, TensorFlow's bottom/right padding,
 * i.e. Caffe's ceil mode), pool5 as a 3x3/1 pool that keeps the size, {@code fc6} a 3x3 convolution
 * dilated by 6, {@code fc7} 1x1, then the extra feature layers {@code convN_1} (1x1) / {@code
 * convN_2} (3x3 after one pixel of zero padding, stride 2, or unpadded stride 1 for SSD300's
 * conv8_2/conv9_2; SSD512's conv10_2 is 4x4). Every convolution is followed by a ReLU. conv4_3's
 * output goes through {@code conv4_3_norm} ({@link L2Normalization}, gamma 20) before its
 * predictor.
 *
 * <p>Children carry the Keras layer names so ported weights map by name. Feature maps, in order:
 * {@code conv4_3_norm, fc7, conv6_2, conv7_2, conv8_2, conv9_2} (SSD512: {@code + conv10_2}).
 */
public final class VggSsdBase extends BaseNetwork {
  private static final byte VERSION = 1;

  /** Channels of conv4_3, the normalised feature map. */
  public static final int CONV4_3_CHANNELS = 512;

  /** Which reference network. */
  public enum Variant {
    SSD300,
    SSD512
  }

  /** One layer of the sequence: a named convolution (+ReLU) or an unnamed max pool. */
  private record Step(
      String name,
      Conv2d conv,
      int filters,
      int poolKernel,
      int poolStride,
      int poolPadding,
      boolean ceil,
      boolean feature) {
    boolean isPool() {
      return conv == null;
    }
  }

  private final Variant variant;
  private final List<Step> steps = new ArrayList<>();
  private final List<String> featureNames = new ArrayList<>();
  private final List<Integer> featureChannels = new ArrayList<>();
  private final L2Normalization conv43Norm;

  public VggSsdBase(Variant variant) {
    super(VERSION);
    if (variant == null) {
      throw new IllegalArgumentException("variant must be given");
    }
    this.variant = variant;
    HeNormalInitializer heNormal = new HeNormalInitializer();
    int[][] blocks = {{1, 2, 64}, {2, 2, 128}, {3, 3, 256}, {4, 3, 512}, {5, 3, 512}};
    for (int[] block : blocks) {
      for (int i = 1; i <= block[1]; i++) {
        String name = "conv" + block[0] + "_" + i;
        conv(name, block[2], 3, 1, 1, 1, name.equals("conv4_3"), heNormal);
      }
      if (block[0] < 5) {
        pool(2, 2, 0, true); // pool1..pool4: 2x2/2 'same' = ceil mode
      } else {
        pool(3, 1, 1, false); // pool5: 3x3/1 'same'
      }
    }
    conv("fc6", 1024, 3, 1, 6, 6, false, heNormal);
    conv("fc7", 1024, 1, 1, 0, 1, true, heNormal);
    conv("conv6_1", 256, 1, 1, 0, 1, false, heNormal);
    conv("conv6_2", 512, 3, 2, 1, 1, true, heNormal);
    conv("conv7_1", 128, 1, 1, 0, 1, false, heNormal);
    conv("conv7_2", 256, 3, 2, 1, 1, true, heNormal);
    if (variant == Variant.SSD300) {
      conv("conv8_1", 128, 1, 1, 0, 1, false, heNormal);
      conv("conv8_2", 256, 3, 1, 0, 1, true, heNormal);
      conv("conv9_1", 128, 1, 1, 0, 1, false, heNormal);
      conv("conv9_2", 256, 3, 1, 0, 1, true, heNormal);
    } else {
      conv("conv8_1", 128, 1, 1, 0, 1, false, heNormal);
      conv("conv8_2", 256, 3, 2, 1, 1, true, heNormal);
      conv("conv9_1", 128, 1, 1, 0, 1, false, heNormal);
      conv("conv9_2", 256, 3, 2, 1, 1, true, heNormal);
      conv("conv10_1", 128, 1, 1, 0, 1, false, heNormal);
      conv("conv10_2", 256, 4, 1, 1, 1, true, heNormal);
    }
    // Created last, as in the Keras model; the first feature map is its output.
    conv43Norm = new L2Normalization(CONV4_3_CHANNELS, L2Normalization.DEFAULT_GAMMA);
    children.add("conv4_3_norm", conv43Norm);
    featureNames.set(0, "conv4_3_norm");
  }

  private void conv(
      String name,
      int filters,
      int kernel,
      int stride,
      int padding,
      int dilation,
      boolean feature,
      HeNormalInitializer heNormal) {
    Conv2d conv =
        Conv2d.builder()
            .setKernelShape(new Shape(kernel, kernel))
            .setFilters(filters)
            .optStride(new Shape(stride, stride))
            .optPadding(new Shape(padding, padding))
            .optDilation(new Shape(dilation, dilation))
            .optBias(true)
            .build();
    conv.setInitializer(heNormal, Parameter.Type.WEIGHT);
    children.add(name, conv);
    steps.add(new Step(name, conv, filters, 0, 0, 0, false, feature));
    if (feature) {
      featureNames.add(name);
      featureChannels.add(filters);
    }
  }

  private void pool(int kernel, int stride, int padding, boolean ceil) {
    steps.add(new Step(null, null, 0, kernel, stride, padding, ceil, false));
  }

  public Variant variant() {
    return variant;
  }

  @Override
  public int featureMapCount() {
    return featureNames.size();
  }

  @Override
  public List<FeatureMapShape> featureMapShapes(int imageHeight, int imageWidth) {
    List<FeatureMapSize> sizes =
        variant == Variant.SSD300
            ? PredictorGeometry.ssd300(imageHeight, imageWidth)
            : PredictorGeometry.ssd512(imageHeight, imageWidth);
    List<FeatureMapShape> maps = new ArrayList<>(sizes.size());
    for (int i = 0; i < sizes.size(); i++) {
      FeatureMapSize s = sizes.get(i);
      maps.add(
          new FeatureMapShape(featureNames.get(i), featureChannels.get(i), s.height(), s.width()));
    }
    return List.copyOf(maps);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDList features = new NDList(featureMapCount());
    for (Step step : steps) {
      if (step.isPool()) {
        Shape k = new Shape(step.poolKernel, step.poolKernel);
        x =
            Pool.maxPool2d(
                x,
                k,
                new Shape(step.poolStride, step.poolStride),
                new Shape(step.poolPadding, step.poolPadding),
                step.ceil);
        continue;
      }
      x = step.conv.forward(parameterStore, new NDList(x), training, params).singletonOrThrow();
      x = Activation.relu(x);
      if (step.feature) {
        if (features.isEmpty()) {
          features.add(
              conv43Norm
                  .forward(parameterStore, new NDList(x), training, params)
                  .singletonOrThrow());
        } else {
          features.add(x);
        }
      }
    }
    return features;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape shape = inputShapes[0];
    for (Step step : steps) {
      if (step.isPool()) {
        shape =
            new Shape(
                shape.get(0), shape.get(1), pooled(shape.get(2), step), pooled(shape.get(3), step));
        continue;
      }
      step.conv.initialize(manager, dataType, shape);
      shape = step.conv.getOutputShapes(new Shape[] {shape})[0];
      if (step.name.equals("conv4_3")) {
        conv43Norm.initialize(manager, dataType, shape);
      }
    }
  }

  private static long pooled(long n, Step pool) {
    long span = n + 2L * pool.poolPadding - pool.poolKernel;
    long steps =
        pool.ceil ? (span + pool.poolStride - 1) / pool.poolStride : span / pool.poolStride;
    return steps + 1;
  }
}
