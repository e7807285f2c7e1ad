package org.grievance.ssd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SSD predictor heads: per feature map a class convolution ({@code boxes·(classes+1)} filters)
 * and a box convolution ({@code boxes·4} filters), both 3x3, stride 1, same padding, linear, with
 * bias (or other predictors of those widths from a {@link PredictorFactory}). Outputs are flattened
 * in the reference's anchor order (docs/reference-behaviour.md#anchor-order): NHWC, per layer
 * row-major over {@code (y, x, box)}, layers concatenated shallowest first; the class channel of
 * (box b, class k) is {@code b·(classes+1)+k}, the box channel {@code b·4+j}.
 *
 * <p>Input: the base network's feature maps. Output: {@code NDList(classLogits (B, N, classes+1),
 * boxOffsets (B, N, 4))} with raw logits (softmax belongs to the loss and the decoders).
 */
public final class SsdHeads extends AbstractBlock {
  private static final byte VERSION = 1;
  private static final int BOX_COORDINATES = 4;

  private final List<PredictorSpec> predictors;
  private final int classesWithBackground;
  private final List<Block> classConvs = new ArrayList<>();
  private final List<Block> boxConvs = new ArrayList<>();

  /**
   * Makes the block of one predictor: it maps feature map {@code layer} to {@code filters} channels
   * of the same spatial size. Its biases (parameters of type {@link Parameter.Type#BIAS}) must be
   * those of the output channels alone, so that {@link #setClassPrior} can initialise them.
   */
  @FunctionalInterface
  public interface PredictorFactory {
    Block create(int layer, int filters);
  }

  /** The reference's predictor: one 3x3 convolution, He-normal kernel, zero bias. */
  public static final PredictorFactory CONV_3X3 = (layer, filters) -> headConv(filters);

  /**
   * @param predictors one entry per feature map, shallowest first
   * @param positiveClasses number of object classes; background (class 0) is added here
   */
  public SsdHeads(List<PredictorSpec> predictors, int positiveClasses) {
    this(predictors, positiveClasses, CONV_3X3);
  }

  /**
   * Heads whose predictors {@code factory} makes (SSDLite uses depthwise-separable ones); the
   * output layout is the same.
   *
   * @param predictors one entry per feature map, shallowest first
   * @param positiveClasses number of object classes; background (class 0) is added here
   * @param factory makes each class and box predictor
   */
  public SsdHeads(List<PredictorSpec> predictors, int positiveClasses, PredictorFactory factory) {
    super(VERSION);
    if (predictors == null || predictors.isEmpty()) {
      throw new IllegalArgumentException("predictors must not be empty, got " + predictors);
    }
    if (positiveClasses < 1) {
      throw new IllegalArgumentException("positiveClasses must be >= 1, got " + positiveClasses);
    }
    this.predictors = List.copyOf(predictors);
    this.classesWithBackground = positiveClasses + 1;
    Set<String> names = new HashSet<>();
    for (int layer = 0; layer < this.predictors.size(); layer++) {
      PredictorSpec p = this.predictors.get(layer);
      for (String name : List.of(p.classesName(), p.boxesName())) {
        if (!names.add(name)) {
          throw new IllegalArgumentException("predictor layer name " + name + " is used twice");
        }
      }
      Block classes = factory.create(layer, p.boxesPerCell() * classesWithBackground);
      Block boxes = factory.create(layer, p.boxesPerCell() * BOX_COORDINATES);
      classConvs.add(classes);
      boxConvs.add(boxes);
      children.add(p.classesName(), classes);
      children.add(p.boxesName(), boxes);
    }
  }

  private static Conv2d headConv(int filters) {
    Conv2d conv =
        Conv2d.builder()
            .setKernelShape(new Shape(3, 3))
            .setFilters(filters)
            .optPadding(new Shape(1, 1))
            .optBias(true)
            .build();
    conv.setInitializer(new HeNormalInitializer(), Parameter.Type.WEIGHT);
    return conv;
  }

  /**
   * Initialises the class convolutions' biases so that, before training, the softmax gives all
   * object classes together probability {@code prior} and background {@code 1 − prior}: background
   * channels get bias {@code log((1 − π)·C / π)}, object channels 0, so each of the {@code C}
   * object classes starts at {@code π / C}. This is the softmax counterpart of Lin et al.'s sigmoid
   * prior (their {@code −log((1 − π)/π)} on every class logit), chosen so that the starting
   * background probability does not depend on the class count (a per-class {@code π} would need
   * {@code C·π < 1}). It keeps the first focal-loss steps from being dominated by the many easy
   * background anchors. Call before the heads are initialised.
   *
   * @param prior in {@code (0, 1)}
   */
  public void setClassPrior(double prior) {
    if (!(prior > 0 && prior < 1)) {
      throw new IllegalArgumentException("class prior must be in (0, 1), got " + prior);
    }
    if (isInitialized()) {
      throw new IllegalStateException("set the class prior before initialising the heads");
    }
    float background = (float) Math.log((1 - prior) * (classesWithBackground - 1) / prior);
    for (Block conv : classConvs) {
      conv.setInitializer(
          (manager, shape, dataType) -> {
            float[] bias = new float[Math.toIntExact(shape.size())];
            for (int ch = 0; ch < bias.length; ch += classesWithBackground) {
              bias[ch] = background; // channel b·(C+1) + 0 is box b's background
            }
            return manager.create(bias, shape).toType(dataType, false);
          },
          Parameter.Type.BIAS);
    }
  }

  public List<PredictorSpec> predictors() {
    return predictors;
  }

  /** Classes including background, the last axis of the class logits. */
  public int classesWithBackground() {
    return classesWithBackground;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    requireOnePerPredictor(inputs.size());
    NDList classes = new NDList(inputs.size());
    NDList boxes = new NDList(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      NDList feature = new NDList(inputs.get(i));
      NDArray c = classConvs.get(i).forward(parameterStore, feature, training, params).head();
      NDArray b = boxConvs.get(i).forward(parameterStore, feature, training, params).head();
      classes.add(toAnchorRows(c, classesWithBackground));
      boxes.add(toAnchorRows(b, BOX_COORDINATES));
    }
    NDArray classLogits = classes.size() == 1 ? classes.head() : NDArrays.concat(classes, 1);
    NDArray boxOffsets = boxes.size() == 1 ? boxes.head() : NDArrays.concat(boxes, 1);
    classLogits.setName("class_logits");
    boxOffsets.setName("box_offsets");
    return new NDList(classLogits, boxOffsets);
  }

  /** {@code (B, nb·k, H, W)} → NHWC → {@code (B, H·W·nb, k)}: anchor index {@code (y·W+x)·nb+b}. */
  private static NDArray toAnchorRows(NDArray headOutput, int perBox) {
    long batch = headOutput.getShape().get(0);
    return headOutput.transpose(0, 2, 3, 1).reshape(new Shape(batch, -1, perBox));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    requireOnePerPredictor(inputShapes.length);
    long batch = inputShapes[0].get(0);
    long anchors = 0;
    for (int i = 0; i < inputShapes.length; i++) {
      anchors += inputShapes[i].get(2) * inputShapes[i].get(3) * predictors.get(i).boxesPerCell();
    }
    return new Shape[] {
      new Shape(batch, anchors, classesWithBackground), new Shape(batch, anchors, BOX_COORDINATES)
    };
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    requireOnePerPredictor(inputShapes.length);
    for (int i = 0; i < inputShapes.length; i++) {
      classConvs.get(i).initialize(manager, dataType, inputShapes[i]);
      boxConvs.get(i).initialize(manager, dataType, inputShapes[i]);
    }
  }

  private void requireOnePerPredictor(int featureMaps) {
    if (featureMaps != predictors.size()) {
      throw new IllegalArgumentException(
          "heads expect "
              + predictors.size()
              + " feature maps (one per predictor layer), got "
              + featureMaps);
    }
  }
}
