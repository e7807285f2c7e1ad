package org.grievance.ssd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The SSD7 base network (docs/reference-behaviour.md#ssd7): seven blocks {@code convN → bnN →
 * eluN}, blocks 1–6 followed by a 2x2/2 max pool with valid (floor) padding. The post-ELU outputs
 * of conv4..conv7 are the feature maps. Convolutions keep their bias although batch normalisation
 * follows, as in the reference.
 *
 * <p>Batch normalisation uses Keras semantics with epsilon {@code 1e-3}, but moving statistics
 * updated as {@code 0.9 * old + 0.1 * batch} where the reference's Keras default is {@code 0.99}:
 * momentum is a training setting, not part of the architecture (weights and parameter count are the
 * same), and with 0.99 a short run's moving statistics still hold a large share of their initial
 * values (30 % after 120 steps), so inference-mode predictions, which use them, were far off while
 * training-mode ones were right ({@code EndToEndTrainingTest}). 0.9 is PyTorch's default (its
 * {@code momentum=0.1}).
 */
public final class Ssd7Base extends BaseNetwork {
  private static final byte VERSION = 1;

  static final int[] FILTERS = {32, 48, 64, 64, 48, 48, 32};
  static final int[] KERNELS = {5, 3, 3, 3, 3, 3, 3};
  static final float BN_MOMENTUM = 0.9f;
  static final float BN_EPSILON = 1e-3f;
  static final float ELU_ALPHA = 1f;

  /** Index (0-based) of the first block whose output is a feature map: conv4. */
  private static final int FIRST_FEATURE_BLOCK = 3;

  private static final int BLOCKS = FILTERS.length;

  private final boolean batchNorm;
  private final Conv2d[] convs = new Conv2d[BLOCKS];
  private final BatchNorm[] norms = new BatchNorm[BLOCKS];

  /** The trainable network, with batch normalisation. */
  public Ssd7Base() {
    this(true);
  }

  private Ssd7Base(boolean batchNorm) {
    super(VERSION);
    this.batchNorm = batchNorm;
    HeNormalInitializer heNormal = new HeNormalInitializer();
    for (int i = 0; i < BLOCKS; i++) {
      int k = KERNELS[i];
      Conv2d conv =
          Conv2d.builder()
              .setKernelShape(new Shape(k, k))
              .setFilters(FILTERS[i])
              .optPadding(new Shape(k / 2, k / 2)) // "same" for odd kernels at stride 1
              .optBias(true)
              .build();
      conv.setInitializer(heNormal, Parameter.Type.WEIGHT);
      convs[i] = conv;
      // Added to the protected list directly so the child keeps the reference's bare name.
      children.add(convName(i), conv);
      if (batchNorm) {
        BatchNorm bn = BatchNorm.builder().optMomentum(BN_MOMENTUM).optEpsilon(BN_EPSILON).build();
        norms[i] = bn;
        children.add("bn" + (i + 1), bn);
      }
    }
  }

  private static String convName(int block) {
    return "conv" + (block + 1);
  }

  /** Whether this network still has its batch normalisation layers (false once folded). */
  public boolean hasBatchNorm() {
    return batchNorm;
  }

  @Override
  public int featureMapCount() {
    return BLOCKS - FIRST_FEATURE_BLOCK;
  }

  @Override
  public List<FeatureMapShape> featureMapShapes(int imageHeight, int imageWidth) {
    List<FeatureMapShape> maps = new ArrayList<>(featureMapCount());
    int h = imageHeight;
    int w = imageWidth;
    for (int i = 0; i < BLOCKS; i++) {
      if (h < 1 || w < 1) {
        throw new IllegalArgumentException(
            "SSD7 input "
                + imageHeight
                + "x"
                + imageWidth
                + " is too small: "
                + convName(i)
                + " would get an empty map (height and width must be >= 64)");
      }
      if (i >= FIRST_FEATURE_BLOCK) {
        maps.add(new FeatureMapShape(convName(i), FILTERS[i], h, w));
      }
      h /= 2;
      w /= 2;
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
    for (int i = 0; i < BLOCKS; i++) {
      x = convs[i].forward(parameterStore, new NDList(x), training, params).singletonOrThrow();
      if (batchNorm) {
        x = norms[i].forward(parameterStore, new NDList(x), training, params).singletonOrThrow();
      }
      if (i < FIRST_FEATURE_BLOCK) {
        // ELU is increasing, so max-pooling commutes with it: pool first and run the ELU on a
        // quarter of the values. Same result, and these are the largest maps of the network.
        x = Activation.elu(MaxPool2x2.apply(x, training), ELU_ALPHA);
        continue;
      }
      x = Activation.elu(x, ELU_ALPHA);
      features.add(x);
      if (i < BLOCKS - 1) {
        x = MaxPool2x2.apply(x, training);
      }
    }
    return features;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape shape = inputShapes[0];
    for (int i = 0; i < BLOCKS; i++) {
      convs[i].initialize(manager, dataType, shape);
      shape = convs[i].getOutputShapes(new Shape[] {shape})[0];
      if (batchNorm) {
        norms[i].initialize(manager, dataType, shape);
      }
      shape = new Shape(shape.get(0), shape.get(1), shape.get(2) / 2, shape.get(3) / 2);
    }
  }

  /**
   * Folds each {@code bnN} into {@code convN}: with {@code s = γ / √(var + ε)}, {@code w' = w·s}
   * and {@code b' = (b − μ)·s + β}. Equal to this network in evaluation mode, minus the BN passes.
   */
  @Override
  public Ssd7Base foldBatchNorm(NDManager manager) {
    if (!batchNorm) {
      return this;
    }
    if (!isInitialized()) {
      throw new IllegalStateException("initialize the SSD7 base before folding its batch norms");
    }
    Ssd7Base folded = new Ssd7Base(false);
    folded.initialize(manager, DataType.FLOAT32, getInputShapes());
    for (int i = 0; i < BLOCKS; i++) {
      BatchNormFolding.fold(convs[i], norms[i], BN_EPSILON, folded.convs[i]);
    }
    return folded;
  }
}
