package org.grievance.ssd.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds SSD300 and SSD512 (docs/reference-behaviour.md#ssd300, #ssd512): the {@link VggSsdBase}
 * with one head pair per feature map, named as in the Keras models: {@code <source>_mbox_conf} and
 * {@code <source>_mbox_loc} for the sources {@code conv4_3_norm, fc7, conv6_2, conv7_2, conv8_2,
 * conv9_2} (SSD512 also {@code conv10_2}).
 */
public final class VggSsd {
  /** Boxes per cell of the reference's default aspect ratios, SSD300. */
  static final int[] SSD300_BOXES = {4, 6, 6, 6, 4, 4};

  /** Boxes per cell of the reference's default aspect ratios, SSD512. */
  static final int[] SSD512_BOXES = {4, 6, 6, 6, 6, 4, 4};

  private VggSsd() {}

  /** The reference's boxes per cell for {@code variant}. */
  public static int[] defaultBoxesPerCell(VggSsdBase.Variant variant) {
    return (variant == VggSsdBase.Variant.SSD300 ? SSD300_BOXES : SSD512_BOXES).clone();
  }

  /**
   * An uninitialised SSD300/SSD512.
   *
   * @param positiveClasses object classes, background excluded
   * @param boxesPerCell anchors per cell of each predictor layer (6 for SSD300, 7 for SSD512)
   * @param preprocessing what the network does to its RGB 0–255 input (reference: mean 123, 117,
   *     104 subtracted, then RGB → BGR)
   */
  public static SsdModel build(
      VggSsdBase.Variant variant,
      int positiveClasses,
      int[] boxesPerCell,
      InputPreprocessing preprocessing) {
    VggSsdBase base = new VggSsdBase(variant);
    int layers = base.featureMapCount();
    if (boxesPerCell == null || boxesPerCell.length != layers) {
      throw new IllegalArgumentException(
          "boxesPerCell must hold "
              + layers
              + " values for "
              + variant
              + ", got "
              + (boxesPerCell == null ? null : Arrays.toString(boxesPerCell)));
    }
    List<FeatureMapShape> maps =
        base.featureMapShapes(minimumInput(variant), minimumInput(variant));
    List<PredictorSpec> predictors = new ArrayList<>(layers);
    for (int i = 0; i < layers; i++) {
      String source = maps.get(i).name();
      predictors.add(
          new PredictorSpec(source + "_mbox_conf", source + "_mbox_loc", boxesPerCell[i]));
    }
    return new SsdModel(preprocessing, base, new SsdHeads(predictors, positiveClasses));
  }

  /** The reference input side: 300 or 512 (used only to name the feature maps here). */
  private static int minimumInput(VggSsdBase.Variant variant) {
    return variant == VggSsdBase.Variant.SSD300 ? 300 : 512;
  }

  /** The preprocessing the Caffe-ported weights expect: RGB mean subtracted, then RGB → BGR. */
  public static InputPreprocessing caffePreprocessing() {
    return InputPreprocessing.none().withSubtractMean(123f, 117f, 104f).withSwapChannels(2, 1, 0);
  }
}
