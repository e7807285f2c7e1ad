package org.grievance.ssd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * An SSD network in training form: {@link InputPreprocessing} → {@link BaseNetwork} → {@link
 * SsdHeads}. Callers feed RGB 0–255 float batches {@code (B, 3, H, W)}; the model returns {@code
 * NDList(classLogits (B, N, classes+1), boxOffsets (B, N, 4))}, raw logits and offsets in the
 * reference's anchor order. Anchors and softmax are not part of the network.
 *
 * <p>Children are {@code base} and {@code heads}; {@link #layer(String)} finds any weight-carrying
 * layer by the reference's name ({@code conv1}, {@code bn1}, {@code classes4}, ...).
 */
public final class SsdModel extends AbstractBlock {
  private static final byte VERSION = 1;

  private final InputPreprocessing preprocessing;
  private final BaseNetwork base;
  private final SsdHeads heads;

  public SsdModel(InputPreprocessing preprocessing, BaseNetwork base, SsdHeads heads) {
    super(VERSION);
    if (preprocessing == null || base == null || heads == null) {
      throw new IllegalArgumentException("preprocessing, base and heads must all be given");
    }
    if (base.featureMapCount() != heads.predictors().size()) {
      throw new IllegalArgumentException(
          "base network yields "
              + base.featureMapCount()
              + " feature maps but heads have "
              + heads.predictors().size()
              + " predictor layers");
    }
    this.preprocessing = preprocessing;
    this.base = base;
    this.heads = heads;
    children.add("base", base);
    children.add("heads", heads);
  }

  public InputPreprocessing preprocessing() {
    return preprocessing;
  }

  public BaseNetwork base() {
    return base;
  }

  public SsdHeads heads() {
    return heads;
  }

  /** Object classes plus background: the last axis of the class logits. */
  public int classesWithBackground() {
    return heads.classesWithBackground();
  }

  /** The feature maps the heads see for an {@code imageHeight x imageWidth} input. */
  public List<FeatureMapShape> featureMapShapes(int imageHeight, int imageWidth) {
    return base.featureMapShapes(imageHeight, imageWidth);
  }

  /**
   * {@code N}, the anchors (output rows) per image for an {@code imageHeight x imageWidth} input.
   */
  public int anchorCount(int imageHeight, int imageWidth) {
    List<FeatureMapShape> maps = featureMapShapes(imageHeight, imageWidth);
    long total = 0;
    for (int i = 0; i < maps.size(); i++) {
      total += (long) maps.get(i).cells() * heads.predictors().get(i).boxesPerCell();
    }
    return Math.toIntExact(total);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray images = inputs.singletonOrThrow();
    if (images.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException(
          "input images must be FLOAT32 (RGB 0-255), got " + images.getDataType());
    }
    NDArray x = preprocessing.apply(images);
    x = ChannelsLast.apply(x);
    NDList features = base.forward(parameterStore, new NDList(x), training, params);
    return heads.forward(parameterStore, features, training, params);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return heads.getOutputShapes(base.getOutputShapes(inputShapes));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    base.initialize(manager, dataType, inputShapes);
    heads.initialize(manager, dataType, base.getOutputShapes(inputShapes));
  }

  /**
   * The inference form: the base with batch normalisation folded into its convolutions (new arrays
   * in {@code manager}), sharing this model's heads and preprocessing. Use it with {@code
   * training=false} only; it is not meant to be trained or saved as this model's weights.
   */
  public SsdModel foldBatchNorm(NDManager manager) {
    if (!isInitialized()) {
      throw new IllegalStateException("initialize the model before folding its batch norms");
    }
    BaseNetwork foldedBase = base.foldBatchNorm(manager);
    if (foldedBase == base) {
      return this;
    }
    SsdModel folded = new SsdModel(preprocessing, foldedBase, heads);
    folded.initialize(manager, DataType.FLOAT32, getInputShapes());
    return folded;
  }

  /**
   * Every convolution kernel of the network, heads included: what Keras' {@code l2(λ)} regularises
   * (biases, batch normalisation and scale parameters are not).
   */
  public List<Parameter> convolutionKernels() {
    List<Parameter> kernels = new ArrayList<>();
    collectKernels(this, kernels);
    return kernels;
  }

  private static void collectKernels(Block block, List<Parameter> out) {
    if (block instanceof Convolution) {
      out.add(block.getDirectParameters().get("weight"));
    }
    for (Pair<String, Block> child : block.getChildren()) {
      collectKernels(child.getValue(), out);
    }
  }

  /** Total number of parameter values, non-trainable batch-norm statistics included. */
  public long parameterCount() {
    if (!isInitialized()) {
      throw new IllegalStateException("initialize the model before counting its parameters");
    }
    long total = 0;
    for (Parameter p : getParameters().values()) {
      total += p.getShape().size();
    }
    return total;
  }

  /** The weight-carrying layers under their reference names, base first, in network order. */
  public Map<String, Block> layers() {
    Map<String, Block> layers = new LinkedHashMap<>();
    for (Block part : List.of(base, heads)) {
      for (Pair<String, Block> child : part.getChildren()) {
        layers.put(child.getKey(), child.getValue());
      }
    }
    return layers;
  }

  /** The layer the reference calls {@code name}. */
  public Block layer(String name) {
    Block block = layers().get(name);
    if (block == null) {
      throw new NoSuchElementException(
          "no layer named '" + name + "'; layers are " + layers().keySet());
    }
    return block;
  }
}
