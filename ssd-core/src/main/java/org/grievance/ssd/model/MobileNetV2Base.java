package org.grievance.ssd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The MobileNetV2 base of SSDLite (Sandler et al., "MobileNetV2: Inverted Residuals and Linear
 * Bottlenecks", 2018, section 6.2): a 3x3/2 stem, seventeen {@link InvertedResidual} blocks, a 1x1
 * convolution to 1280 channels, then four SSDLite extra layers ({@link SsdLiteExtraLayer}, 512,
 * 256, 256, 128 channels, each halving the map). Six feature maps: the expansion output of block 13
 * (stride 16, the first 160-channel block), the 1280-channel map (stride 32) and the extra layers.
 * All convolutions are followed by batch normalisation and, except the block projections, ReLU6.
 *
 * <p>The width multiplier {@code α} scales every channel count as torchvision's {@code
 * mobilenet_v2} does (rounded to a multiple of 8, never more than 10 % down); the 1280 channels are
 * only scaled for {@code α > 1}; the extra layers take {@code max(⌊d·α⌋, 16)} channels as in the
 * TensorFlow object detection API. Stride-2 layers pad by 1, so every map is {@code ceil(h/2)} of
 * the one before.
 */
public final class MobileNetV2Base extends BaseNetwork {
  private static final byte VERSION = 1;

  /**
   * The bottleneck settings of the paper's Table 2: expansion t, channels c, repeats n, stride s.
   */
  private static final int[][] SETTINGS = {
    {1, 16, 1, 1},
    {6, 24, 2, 2},
    {6, 32, 3, 2},
    {6, 64, 4, 2},
    {6, 96, 3, 1},
    {6, 160, 3, 2},
    {6, 320, 1, 1}
  };

  /** The block whose expansion output is the first feature map (0-based). */
  static final int TAP_BLOCK = 13;

  private static final int STEM_CHANNELS = 32;
  private static final int LAST_CHANNELS = 1280;
  private static final int[] EXTRA_CHANNELS = {512, 256, 256, 128};
  private static final int EXTRA_MIN_CHANNELS = 16;
  private static final int ROUND_TO = 8;

  /** Smallest input side: below it the stride-32 map would not be meaningful. */
  public static final int MIN_INPUT = 32;

  private final double widthMultiplier;
  private final boolean batchNorm;
  private final ConvBnAct stem;
  private final List<InvertedResidual> blocks = new ArrayList<>();
  private final ConvBnAct last;
  private final List<SsdLiteExtraLayer> extras = new ArrayList<>();
  private final int tapChannels;
  private final int lastChannels;
  private final int[] extraChannels = new int[EXTRA_CHANNELS.length];

  /** The trainable network for width multiplier {@code widthMultiplier} (1.0 is the paper's). */
  public MobileNetV2Base(double widthMultiplier) {
    this(widthMultiplier, true);
  }

  private MobileNetV2Base(double widthMultiplier, boolean batchNorm) {
    super(VERSION);
    if (!(widthMultiplier > 0) || !Double.isFinite(widthMultiplier)) {
      throw new IllegalArgumentException(
          "widthMultiplier must be finite and > 0, got " + widthMultiplier);
    }
    this.widthMultiplier = widthMultiplier;
    this.batchNorm = batchNorm;
    int channels = makeDivisible(STEM_CHANNELS * widthMultiplier);
    stem = new ConvBnAct(channels, 3, 2, 1, true, batchNorm);
    children.add("stem", stem);
    int tap = -1;
    for (int[] s : SETTINGS) {
      int out = makeDivisible(s[1] * widthMultiplier);
      for (int i = 0; i < s[2]; i++) {
        if (blocks.size() == TAP_BLOCK) {
          tap = InvertedResidual.hiddenChannels(channels, s[0]);
        }
        InvertedResidual block =
            new InvertedResidual(channels, out, i == 0 ? s[3] : 1, s[0], batchNorm);
        children.add("block" + blocks.size(), block);
        blocks.add(block);
        channels = out;
      }
    }
    tapChannels = tap;
    lastChannels = makeDivisible(LAST_CHANNELS * Math.max(1.0, widthMultiplier));
    last = new ConvBnAct(lastChannels, 1, 1, 1, true, batchNorm);
    children.add("conv_last", last);
    for (int i = 0; i < EXTRA_CHANNELS.length; i++) {
      extraChannels[i] = extraDepth(EXTRA_CHANNELS[i]);
      SsdLiteExtraLayer extra =
          new SsdLiteExtraLayer(extraDepth(EXTRA_CHANNELS[i] / 2), extraChannels[i], batchNorm);
      children.add(extraName(i), extra);
      extras.add(extra);
    }
  }

  /**
   * torchvision's {@code _make_divisible}: nearest multiple of 8, at least 8, at most 10 % down.
   */
  static int makeDivisible(double value) {
    int rounded = Math.max(ROUND_TO, (int) (value + ROUND_TO / 2.0) / ROUND_TO * ROUND_TO);
    return rounded < 0.9 * value ? rounded + ROUND_TO : rounded;
  }

  private int extraDepth(int depth) {
    return Math.max((int) (depth * widthMultiplier), EXTRA_MIN_CHANNELS);
  }

  private static String extraName(int i) {
    return "extra" + (i + 1);
  }

  public double widthMultiplier() {
    return widthMultiplier;
  }

  /** Whether this network still has its batch normalisation layers (false once folded). */
  public boolean hasBatchNorm() {
    return batchNorm;
  }

  @Override
  public int featureMapCount() {
    return 2 + EXTRA_CHANNELS.length;
  }

  @Override
  public List<FeatureMapShape> featureMapShapes(int imageHeight, int imageWidth) {
    if (imageHeight < MIN_INPUT || imageWidth < MIN_INPUT) {
      throw new IllegalArgumentException(
          "MobileNetV2-SSDLite input "
              + imageHeight
              + "x"
              + imageWidth
              + " is too small: height and width must be >= "
              + MIN_INPUT);
    }
    int h = halve(imageHeight, 4); // stem and the first stride-2 blocks of 24, 32 and 64 channels
    int w = halve(imageWidth, 4);
    List<FeatureMapShape> maps = new ArrayList<>(featureMapCount());
    maps.add(new FeatureMapShape("block" + TAP_BLOCK + "_expand", tapChannels, h, w));
    h = halve(h, 1);
    w = halve(w, 1);
    maps.add(new FeatureMapShape("conv_last", lastChannels, h, w));
    for (int i = 0; i < extraChannels.length; i++) {
      h = halve(h, 1);
      w = halve(w, 1);
      maps.add(new FeatureMapShape(extraName(i), extraChannels[i], h, w));
    }
    return List.copyOf(maps);
  }

  private static int halve(int size, int times) {
    int s = size;
    for (int i = 0; i < times; i++) {
      s = (s + 1) / 2;
    }
    return s;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = stem.apply(ps, inputs.singletonOrThrow(), training, params);
    NDList maps = new NDList(featureMapCount());
    for (int i = 0; i < blocks.size(); i++) {
      NDArray[] both = blocks.get(i).forwardWithExpansion(ps, x, training, params);
      if (i == TAP_BLOCK) {
        maps.add(both[0]);
      }
      x = both[1];
    }
    x = last.apply(ps, x, training, params);
    maps.add(x);
    for (SsdLiteExtraLayer extra : extras) {
      x = extra.forward(ps, new NDList(x), training, params).singletonOrThrow();
      maps.add(x);
    }
    return maps;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape[] shapes = inputShapes;
    stem.initialize(manager, dataType, shapes);
    shapes = stem.getOutputShapes(shapes);
    for (InvertedResidual block : blocks) {
      block.initialize(manager, dataType, shapes);
      shapes = block.getOutputShapes(shapes);
    }
    last.initialize(manager, dataType, shapes);
    shapes = last.getOutputShapes(shapes);
    for (SsdLiteExtraLayer extra : extras) {
      extra.initialize(manager, dataType, shapes);
      shapes = extra.getOutputShapes(shapes);
    }
  }

  /** Every convolution unit in network order (for folding pairwise with the folded twin). */
  private List<ConvBnAct> units() {
    List<ConvBnAct> units = new ArrayList<>();
    units.add(stem);
    for (InvertedResidual block : blocks) {
      units.addAll(block.units());
    }
    units.add(last);
    for (SsdLiteExtraLayer extra : extras) {
      units.addAll(extra.units());
    }
    return units;
  }

  /** Folds every batch norm into the convolution before it (see {@link BatchNormFolding}). */
  @Override
  public MobileNetV2Base foldBatchNorm(NDManager manager) {
    if (!batchNorm) {
      return this;
    }
    if (!isInitialized()) {
      throw new IllegalStateException(
          "initialize the MobileNetV2 base before folding its batch norms");
    }
    MobileNetV2Base folded = new MobileNetV2Base(widthMultiplier, false);
    folded.initialize(manager, DataType.FLOAT32, getInputShapes());
    List<ConvBnAct> source = units();
    List<ConvBnAct> target = folded.units();
    for (int i = 0; i < source.size(); i++) {
      source.get(i).foldInto(target.get(i));
    }
    return folded;
  }
}
