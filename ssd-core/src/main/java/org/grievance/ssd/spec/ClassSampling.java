package org.grievance.ssd.spec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.grievance.ssd.encode.EncoderConfig;
import org.grievance.ssd.model.PredictorSpec;
import org.grievance.ssd.model.SsdModel;

/**
 * Changes the classes a trained SSD predicts by re-sampling its class heads (the reference's
 * weight-sampling tutorial, docs/reference-behaviour.md#class-sub-sampling): each class convolution
 * has {@code boxes · (classes+1)} output channels, one group per box, and every group is sampled
 * the same way, so channel {@code b·k + j} of the new head is channel {@code b·K + source[j]} of
 * the old one. Everything else (base, box heads) is copied unchanged; the anchors do not change.
 *
 * <p>{@code source[j]} is the old class index (0 = background) that new class {@code j} takes, or
 * {@link #NEW} for a class the old model did not have: its channels are freshly initialised as in
 * the reference's up-sampling (kernel N(0, 0.005²), bias 0). Unlike the reference, which scatters
 * kept classes to random positions when up-sampling, the new order is exactly the given one.
 */
public final class ClassSampling {
  /** Marks a new class in the source list. */
  public static final int NEW = -1;

  /** Standard deviation of the fresh kernels (the tutorial's {@code stddev=0.005}). */
  static final double FRESH_STDDEV = 0.005;

  private ClassSampling() {}

  /**
   * The old channel each new channel of a class head takes, or {@link #NEW}: for every box group
   * {@code b} in {@code 0 .. channels/oldClasses − 1} the entries {@code b·oldClasses + source[j]}.
   * (docs/reference-behaviour.md#class-sub-sampling: 324 channels, 81 classes, {@code
   * [0,3,8,1,2,10,4,6,12]} → 0, 3, 8, 1, 2, 10, 4, 6, 12, 81, 84, …)
   *
   * @param oldClasses classes per box of the old head, background included
   */
  public static int[] channelIndices(int channels, int oldClasses, int[] source) {
    checkSource(source, oldClasses);
    if (oldClasses < 1 || channels % oldClasses != 0) {
      throw new IllegalArgumentException(
          "a class head with "
              + channels
              + " channels does not hold whole groups of "
              + oldClasses
              + " classes");
    }
    int boxes = channels / oldClasses;
    int[] out = new int[boxes * source.length];
    for (int b = 0; b < boxes; b++) {
      for (int j = 0; j < source.length; j++) {
        out[b * source.length + j] = source[j] == NEW ? NEW : b * oldClasses + source[j];
      }
    }
    return out;
  }

  /**
   * Checks a source list: background (0) first, every entry an old class index or {@link #NEW}, no
   * old class twice.
   */
  public static void checkSource(int[] source, int oldClasses) {
    if (source == null || source.length < 2) {
      throw new IllegalArgumentException(
          "classes must list background (0) and at least one class, got "
              + Arrays.toString(source));
    }
    if (source[0] != 0) {
      throw new IllegalArgumentException(
          "classes must start with the background class 0, got " + Arrays.toString(source));
    }
    Set<Integer> seen = new HashSet<>();
    for (int j = 0; j < source.length; j++) {
      int s = source[j];
      if (s == NEW) {
        continue;
      }
      if (s < 0 || s >= oldClasses) {
        throw new IllegalArgumentException(
            "classes["
                + j
                + "] = "
                + s
                + " is not a class of the model (0.."
                + (oldClasses - 1)
                + ", 0 = background)");
      }
      if (!seen.add(s)) {
        throw new IllegalArgumentException(
            "classes[" + j + "] = " + s + " is listed twice in " + Arrays.toString(source));
      }
    }
  }

  /**
   * The description of the re-sampled model: same everything, the new class names and an encoder
   * for their count, but no per-class thresholds: the softmax runs over other classes, so scores
   * (and thresholds calibrated on them) change; calibrate the new model again.
   *
   * @param names the new object classes ({@code source.length − 1} names)
   */
  public static ModelDescription describe(ModelDescription old, int[] source, List<String> names) {
    checkSource(source, old.classCount() + 1);
    if (names.size() != source.length - 1) {
      throw new IllegalArgumentException(
          names.size() + " class names for " + (source.length - 1) + " classes: " + names);
    }
    EncoderConfig e = old.encoder();
    EncoderConfig encoder =
        EncoderConfig.builder(names.size())
            .matchingType(e.matchingType())
            .posIouThreshold(e.posIouThreshold())
            .negIouLimit(e.negIouLimit())
            .borderPixels(e.borderPixels())
            .outsideBoxPolicy(e.outsideBoxPolicy())
            .build();
    ObjectNode provenance = old.provenance();
    provenance.remove(ModelDescription.CALIBRATION);
    return old.toBuilder()
        .classNames(names)
        .encoder(encoder)
        .decoder(old.decoder().withClassThresholds(Map.of()))
        .provenance(provenance)
        .build();
  }

  /**
   * A new network for {@code target} (from {@link #describe}) in {@code manager}, with {@code
   * old}'s weights: class heads re-sampled, every other parameter copied.
   *
   * @param seed seeds the fresh channels of new classes
   */
  public static SsdModel resample(
      SsdModel old, ModelDescription target, int[] source, NDManager manager, long seed) {
    checkSource(source, old.classesWithBackground());
    SsdModel model = SsdModels.build(target);
    if (model.classesWithBackground() != source.length) {
      throw new IllegalArgumentException(
          "target has "
              + model.classesWithBackground()
              + " classes with background but the class list has "
              + source.length);
    }
    model.initialize(manager, DataType.FLOAT32, SsdModels.inputShape(target));
    Set<String> classHeads = new HashSet<>();
    for (PredictorSpec p : model.heads().predictors()) {
      classHeads.add(p.classesName());
    }
    Map<String, Block> oldLayers = old.layers();
    Random random = new Random(seed);
    for (Map.Entry<String, Block> e : model.layers().entrySet()) {
      Block oldLayer = oldLayers.get(e.getKey());
      if (oldLayer == null) {
        throw new IllegalArgumentException(
            "the source model has no layer '" + e.getKey() + "'; is it the same architecture?");
      }
      boolean sampled = classHeads.contains(e.getKey());
      for (Pair<String, Parameter> p : e.getValue().getParameters()) {
        NDArray from = oldLayer.getParameters().get(p.getKey()).getArray();
        NDArray to = p.getValue().getArray();
        if (sampled) {
          to.set(sampleRows(from, to, old.classesWithBackground(), source, random, p.getKey()));
        } else {
          if (!from.getShape().equals(to.getShape())) {
            throw new IllegalArgumentException(
                "layer '"
                    + e.getKey()
                    + "' parameter "
                    + p.getKey()
                    + " is "
                    + from.getShape()
                    + " in the source model but "
                    + to.getShape()
                    + " in the target");
          }
          to.set(from.toFloatArray());
        }
      }
    }
    return model;
  }

  /** Gathers output channels (rows of the first axis); fresh rows for new classes. */
  private static float[] sampleRows(
      NDArray from, NDArray to, int oldClasses, int[] source, Random random, String parameter) {
    int oldChannels = (int) from.getShape().get(0);
    int[] rows = channelIndices(oldChannels, oldClasses, source);
    if (rows.length != to.getShape().get(0)) {
      throw new IllegalArgumentException(
          "class head parameter "
              + parameter
              + " has "
              + to.getShape().get(0)
              + " channels in the target, "
              + rows.length
              + " expected");
    }
    int rowSize = (int) (from.getShape().size() / oldChannels);
    float[] src = from.toFloatArray();
    float[] out = new float[rows.length * rowSize];
    boolean kernel = from.getShape().dimension() > 1;
    for (int r = 0; r < rows.length; r++) {
      if (rows[r] == NEW) {
        for (int i = 0; i < rowSize; i++) {
          out[r * rowSize + i] = kernel ? (float) (random.nextGaussian() * FRESH_STDDEV) : 0f;
        }
      } else {
        System.arraycopy(src, rows[r] * rowSize, out, r * rowSize, rowSize);
      }
    }
    return out;
  }

  /** Parses {@code 0,3,8,new} into source indices ({@code new} → {@link #NEW}). */
  public static int[] parse(String list) {
    List<Integer> out = new ArrayList<>();
    for (String token : list.split(",")) {
      String t = token.trim();
      if (t.equalsIgnoreCase("new")) {
        out.add(NEW);
        continue;
      }
      try {
        out.add(Integer.parseInt(t));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "class list entry '" + t + "' is neither a class index nor 'new' in '" + list + "'");
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
