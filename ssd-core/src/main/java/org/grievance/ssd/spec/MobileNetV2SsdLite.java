package org.grievance.ssd.spec;

import java.util.List;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.box.BoxFormat;
import org.grievance.ssd.model.FeatureMapShape;
import org.grievance.ssd.model.InputPreprocessing;
import org.grievance.ssd.model.MobileNetV2Base;
import org.grievance.ssd.model.SsdHeads;
import org.grievance.ssd.model.SsdLitePredictor;

/**
 * MobileNetV2-SSDLite (Sandler et al. 2018, section 6.2): the {@link MobileNetV2Base} with SSDLite
 * heads ({@link SsdLitePredictor}, depthwise-separable 3x3 predictors) on its six feature maps.
 * Registered in {@link SsdModels} as {@value #NAME} (width 1.0) and {@value #NAME_HALF} (width 0.5,
 * about a quarter of the multiply-adds).
 */
public final class MobileNetV2SsdLite {
  /** Width multiplier 1.0, the paper's model. */
  public static final String NAME = "mobilenetv2-ssdlite";

  /** Width multiplier 0.5. */
  public static final String NAME_HALF = "mobilenetv2-ssdlite-0.5";

  /** The TensorFlow object detection API's SSDLite weight decay (its L2 λ). */
  public static final double L2_WEIGHT_DECAY = 4e-5;

  private static final List<Double> AR3 = List.of(1.0, 2.0, 0.5);
  private static final List<Double> AR5 = List.of(1.0, 2.0, 0.5, 3.0, 1.0 / 3.0);

  private MobileNetV2SsdLite() {}

  /** The architecture with width multiplier {@code widthMultiplier} under {@code name}. */
  public static SsdModels.Architecture architecture(String name, double widthMultiplier) {
    new MobileNetV2Base(widthMultiplier); // validates the multiplier now rather than at first use
    return new Architecture(name, widthMultiplier);
  }

  /**
   * Anchors for an {@code height x width} input, after the TensorFlow object detection API's
   * SSDLite configuration: scales 0.2 to 0.95 over the six maps with the lowest map reduced to 0.1,
   * aspect ratios 1, 2, 1/2 on the first map and 1, 2, 1/2, 3, 1/3 elsewhere, each map with the
   * second ratio-1 box (4 and 6 boxes per cell), variances (0.1, 0.1, 0.2, 0.2), centroids,
   * normalised; steps and offsets follow from the map sizes.
   */
  public static AnchorConfig anchors(int height, int width) {
    return AnchorConfig.builder()
        .imageSize(height, width)
        .predictorSizes(architecture(NAME, 1.0).featureMaps(height, width))
        .scales(0.1, 0.35, 0.5, 0.65, 0.8, 0.95, 1.0)
        .aspectRatiosPerLayer(List.of(AR3, AR5, AR5, AR5, AR5, AR5))
        .twoBoxesForAr1(true)
        .clipBoxes(false)
        .variances(0.1, 0.1, 0.2, 0.2)
        .coords(BoxFormat.CENTROIDS)
        .normalizeCoords(true)
        .build();
  }

  private static final class Architecture extends BaseNetworkArchitecture {
    Architecture(String name, double widthMultiplier) {
      super(name, () -> new MobileNetV2Base(widthMultiplier));
    }

    @Override
    protected SsdHeads heads(List<FeatureMapShape> maps, List<Integer> boxesPerCell, int classes) {
      int[] channels = maps.stream().mapToInt(FeatureMapShape::channels).toArray();
      return new SsdHeads(
          predictors(maps, boxesPerCell), classes, SsdLitePredictor.factory(channels));
    }

    /**
     * {@link MobileNetV2SsdLite#anchors}, input scaled to [-1, 1] (MobileNet's convention), L2
     * decay {@link #L2_WEIGHT_DECAY}, the reference encoder and prediction decoder defaults.
     */
    @Override
    public ModelDescription defaultDescription(int height, int width, List<String> classNames) {
      return ModelDescription.builder(name(), height, width, classNames)
          .anchors(anchors(height, width))
          .preprocessing(
              InputPreprocessing.none().withSubtractMean(127.5f).withDivideByStddev(127.5f))
          .l2WeightDecay(L2_WEIGHT_DECAY)
          .build();
    }
  }
}
