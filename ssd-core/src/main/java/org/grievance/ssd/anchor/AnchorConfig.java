package org.grievance.ssd.anchor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.grievance.ssd.box.BoxFormat;

/**
 * Everything that determines the anchor (default/prior) boxes, fully resolved: one scale per layer
 * plus the extra last one, one aspect-ratio list, step and offset per predictor layer. The model's
 * anchor layers and the input encoder must be built from the same configuration.
 *
 * <p>Build one with {@link #builder()}, which also accepts the reference's shorthand forms (min/max
 * scale instead of a scale list, one global aspect-ratio list, {@code null} steps and offsets for
 * the defaults), or take a preset ({@link #ssd300Voc()}, {@link #ssd7(int, int)}, …).
 *
 * @param imageHeight input image height H in pixels
 * @param imageWidth input image width W in pixels
 * @param predictorSizes feature-map size of each predictor layer, shallowest first (L layers)
 * @param scales L+1 scale factors, fractions of {@code min(H, W)}; {@code scales[i+1]} is only used
 *     for the extra aspect-ratio-1 box of layer i
 * @param aspectRatios one non-empty aspect-ratio list (w/h) per layer, in box order
 * @param twoBoxesForAr1 add the extra box of size {@code sqrt(s_i·s_{i+1})} after ratio 1
 * @param steps per layer, pixels between neighbouring cell centres (h, w)
 * @param offsets per layer, the first cell centre as a fraction of the step (h, w)
 * @param clipBoxes clip anchor corners to the image (reference quirk: to W−1 / H−1, see {@link
 *     AnchorGenerator})
 * @param variances the 4 positive constants the offset encoding divides by
 * @param coords box format of the anchors and of the encoded targets
 * @param normalizeCoords anchors and targets relative to the image size ([0, 1])
 */
public record AnchorConfig(
    int imageHeight,
    int imageWidth,
    List<FeatureMapSize> predictorSizes,
    List<Double> scales,
    List<List<Double>> aspectRatios,
    boolean twoBoxesForAr1,
    List<AxisPair> steps,
    List<AxisPair> offsets,
    boolean clipBoxes,
    List<Double> variances,
    BoxFormat coords,
    boolean normalizeCoords) {

  /** Pascal VOC scales of the SSD300 notebooks. */
  public static final List<Double> SSD300_VOC_SCALES =
      List.of(0.1, 0.2, 0.37, 0.54, 0.71, 0.88, 1.05);

  /** MS COCO scales of the SSD300 notebooks. */
  public static final List<Double> SSD300_COCO_SCALES =
      List.of(0.07, 0.15, 0.33, 0.51, 0.69, 0.87, 1.05);

  /** Pascal VOC scales of the SSD512 notebook. */
  public static final List<Double> SSD512_VOC_SCALES =
      List.of(0.07, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 1.05);

  /** MS COCO scales of the SSD512 notebook. */
  public static final List<Double> SSD512_COCO_SCALES =
      List.of(0.04, 0.1, 0.26, 0.42, 0.58, 0.74, 0.9, 1.06);

  private static final List<Double> AR3 = List.of(1.0, 2.0, 0.5);
  private static final List<Double> AR5 = List.of(1.0, 2.0, 0.5, 3.0, 1.0 / 3.0);

  public AnchorConfig {
    if (imageHeight < 1 || imageWidth < 1) {
      throw new IllegalArgumentException(
          "image size must be positive, but is " + imageHeight + "x" + imageWidth);
    }
    predictorSizes = copyNoNulls(predictorSizes, "predictorSizes");
    int layers = predictorSizes.size();
    if (layers == 0) {
      throw new IllegalArgumentException("predictorSizes must name at least one layer");
    }
    scales = copyNoNulls(scales, "scales");
    requireSize(scales, layers + 1, "scales", "one per predictor layer plus the last next_scale");
    for (int i = 0; i < scales.size(); i++) {
      double s = scales.get(i);
      if (!(s > 0) || !Double.isFinite(s)) {
        throw new IllegalArgumentException("scales[" + i + "] must be > 0, but is " + s);
      }
      if (i < layers && s > 1) {
        throw new IllegalArgumentException(
            "scales["
                + i
                + "] must not exceed 1 (only the last entry, the last layer's next_scale, may), but"
                + " is "
                + s);
      }
    }
    aspectRatios = copyNoNulls(aspectRatios, "aspectRatios");
    requireSize(aspectRatios, layers, "aspectRatios", "one list per predictor layer");
    List<List<Double>> ars = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      List<Double> list = copyNoNulls(aspectRatios.get(i), "aspectRatios[" + i + "]");
      if (list.isEmpty()) {
        throw new IllegalArgumentException("aspectRatios[" + i + "] must not be empty");
      }
      for (int j = 0; j < list.size(); j++) {
        double ar = list.get(j);
        if (!(ar > 0) || !Double.isFinite(ar)) {
          throw new IllegalArgumentException(
              "aspectRatios[" + i + "][" + j + "] must be > 0, but is " + ar);
        }
      }
      ars.add(list);
    }
    aspectRatios = List.copyOf(ars);
    steps = copyNoNulls(steps, "steps");
    requireSize(steps, layers, "steps", "one per predictor layer");
    for (int i = 0; i < layers; i++) {
      AxisPair s = steps.get(i);
      if (!(s.h() > 0) || !(s.w() > 0)) {
        throw new IllegalArgumentException("steps[" + i + "] must be > 0, but is " + s);
      }
    }
    offsets = copyNoNulls(offsets, "offsets");
    requireSize(offsets, layers, "offsets", "one per predictor layer");
    variances = copyNoNulls(variances, "variances");
    requireSize(variances, 4, "variances", "one per box coordinate");
    for (int i = 0; i < 4; i++) {
      double v = variances.get(i);
      if (!(v > 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException("variances[" + i + "] must be > 0, but is " + v);
      }
    }
    Objects.requireNonNull(coords, "coords");
  }

  /** Number of predictor layers L. */
  public int layerCount() {
    return predictorSizes.size();
  }

  /** Boxes per cell of layer {@code i}: the ratio count, plus one if 1 is in it and two boxes. */
  public int boxesPerCell(int layer) {
    List<Double> ars = aspectRatios.get(layer);
    return twoBoxesForAr1 && ars.contains(1.0) ? ars.size() + 1 : ars.size();
  }

  /** Total number of anchors N. */
  public int anchorCount() {
    int n = 0;
    for (int i = 0; i < layerCount(); i++) {
      n += predictorSizes.get(i).cells() * boxesPerCell(i);
    }
    return n;
  }

  /** The variances as an array {@code (v0, v1, v2, v3)}. */
  public double[] varianceArray() {
    return variances.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** A builder holding this configuration in resolved form. */
  public Builder toBuilder() {
    return new Builder()
        .imageSize(imageHeight, imageWidth)
        .predictorSizes(predictorSizes)
        .scales(scales)
        .aspectRatiosPerLayer(aspectRatios)
        .twoBoxesForAr1(twoBoxesForAr1)
        .steps(steps)
        .offsets(offsets)
        .clipBoxes(clipBoxes)
        .variances(variances.stream().mapToDouble(Double::doubleValue).toArray())
        .coords(coords)
        .normalizeCoords(normalizeCoords);
  }

  /**
   * A builder with the reference encoder's defaults: scales from min 0.1 to max 0.9, global aspect
   * ratios (0.5, 1, 2), two boxes for ratio 1, default steps and offsets, no clipping, variances
   * (0.1, 0.1, 0.2, 0.2), centroids, normalised coordinates.
   */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------------------------ presets

  /** SSD300 for Pascal VOC at 300x300 (the inference/training notebooks' configuration). */
  public static AnchorConfig ssd300Voc() {
    return ssd300(SSD300_VOC_SCALES);
  }

  /** SSD300 at 300x300 with the MS COCO scales. */
  public static AnchorConfig ssd300Coco() {
    return ssd300(SSD300_COCO_SCALES);
  }

  /** SSD512 for Pascal VOC at 512x512. */
  public static AnchorConfig ssd512Voc() {
    return ssd512(SSD512_VOC_SCALES);
  }

  /** SSD512 at 512x512 with the MS COCO scales. */
  public static AnchorConfig ssd512Coco() {
    return ssd512(SSD512_COCO_SCALES);
  }

  /**
   * SSD7 as configured in the training notebook (which used 300x480): scales 0.08, 0.16, 0.32,
   * 0.64, 0.96, global ratios (0.5, 1, 2) with two boxes for 1, default steps and offsets, no
   * clipping, variances all 1, centroids, normalised. (The SSD7 model's own defaults differ; the
   * notebook passes these explicitly to model and encoder alike.)
   */
  public static AnchorConfig ssd7(int height, int width) {
    return builder()
        .imageSize(height, width)
        .predictorSizes(PredictorGeometry.ssd7(height, width))
        .scales(0.08, 0.16, 0.32, 0.64, 0.96)
        .aspectRatiosGlobal(0.5, 1.0, 2.0)
        .twoBoxesForAr1(true)
        .clipBoxes(false)
        .variances(1.0, 1.0, 1.0, 1.0)
        .coords(BoxFormat.CENTROIDS)
        .normalizeCoords(true)
        .build();
  }

  private static AnchorConfig ssd300(List<Double> scales) {
    return builder()
        .imageSize(300, 300)
        .predictorSizes(PredictorGeometry.ssd300(300, 300))
        .scales(scales)
        .aspectRatiosPerLayer(List.of(AR3, AR5, AR5, AR5, AR3, AR3))
        .twoBoxesForAr1(true)
        .steps(scalars(8, 16, 32, 64, 100, 300))
        .offsets(Collections.nCopies(6, AxisPair.both(0.5)))
        .clipBoxes(false)
        .variances(0.1, 0.1, 0.2, 0.2)
        .coords(BoxFormat.CENTROIDS)
        .normalizeCoords(true)
        .build();
  }

  private static AnchorConfig ssd512(List<Double> scales) {
    return builder()
        .imageSize(512, 512)
        .predictorSizes(PredictorGeometry.ssd512(512, 512))
        .scales(scales)
        .aspectRatiosPerLayer(List.of(AR3, AR5, AR5, AR5, AR5, AR3, AR3))
        .twoBoxesForAr1(true)
        .steps(scalars(8, 16, 32, 64, 128, 256, 512))
        .offsets(Collections.nCopies(7, AxisPair.both(0.5)))
        .clipBoxes(false)
        .variances(0.1, 0.1, 0.2, 0.2)
        .coords(BoxFormat.CENTROIDS)
        .normalizeCoords(true)
        .build();
  }

  private static List<AxisPair> scalars(double... values) {
    return Arrays.stream(values).mapToObj(AxisPair::both).toList();
  }

  private static <T> List<T> copyNoNulls(List<T> list, String field) {
    if (list == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) {
        throw new IllegalArgumentException(field + "[" + i + "] must not be null");
      }
    }
    return List.copyOf(list);
  }

  private static void requireSize(List<?> list, int expected, String field, String why) {
    if (list.size() != expected) {
      throw new IllegalArgumentException(
          field + " must have " + expected + " entries (" + why + "), but has " + list.size());
    }
  }

  /**
   * Collects the reference's constructor arguments and resolves them: scales from min/max (numpy
   * {@code linspace}), the global aspect ratios per layer, {@code null} steps to {@code (H/fh,
   * W/fw)} and {@code null} offsets to 0.5.
   */
  public static final class Builder {
    private int imageHeight;
    private int imageWidth;
    private List<FeatureMapSize> predictorSizes;
    private List<Double> scales;
    private double minScale = 0.1;
    private double maxScale = 0.9;
    private List<Double> aspectRatiosGlobal = List.of(0.5, 1.0, 2.0);
    private List<List<Double>> aspectRatiosPerLayer;
    private boolean twoBoxesForAr1 = true;
    private List<AxisPair> steps;
    private List<AxisPair> offsets;
    private boolean clipBoxes;
    private double[] variances = {0.1, 0.1, 0.2, 0.2};
    private BoxFormat coords = BoxFormat.CENTROIDS;
    private boolean normalizeCoords = true;

    private Builder() {}

    public Builder imageSize(int height, int width) {
      this.imageHeight = height;
      this.imageWidth = width;
      return this;
    }

    public Builder predictorSizes(List<FeatureMapSize> sizes) {
      this.predictorSizes = sizes == null ? null : new ArrayList<>(sizes);
      return this;
    }

    /** Explicit scales (L+1 entries); takes precedence over {@link #minMaxScale}. */
    public Builder scales(double... scales) {
      return scales(Arrays.stream(scales).boxed().toList());
    }

    /** Explicit scales (L+1 entries); takes precedence over {@link #minMaxScale}. */
    public Builder scales(List<Double> scales) {
      this.scales = scales == null ? null : new ArrayList<>(scales);
      return this;
    }

    /** Scales interpolated linearly from {@code min} to {@code max} when no list is given. */
    public Builder minMaxScale(double min, double max) {
      this.minScale = min;
      this.maxScale = max;
      return this;
    }

    /** One aspect-ratio list for every layer, used when no per-layer lists are given. */
    public Builder aspectRatiosGlobal(double... ratios) {
      this.aspectRatiosGlobal = ratios == null ? null : Arrays.stream(ratios).boxed().toList();
      return this;
    }

    /** One aspect-ratio list per layer; overrides the global list. */
    public Builder aspectRatiosPerLayer(List<List<Double>> ratios) {
      this.aspectRatiosPerLayer = ratios == null ? null : new ArrayList<>(ratios);
      return this;
    }

    public Builder twoBoxesForAr1(boolean value) {
      this.twoBoxesForAr1 = value;
      return this;
    }

    /** Per-layer steps; {@code null} (list or entry) means {@code (H/fh, W/fw)}. */
    public Builder steps(List<AxisPair> steps) {
      this.steps = steps == null ? null : new ArrayList<>(steps);
      return this;
    }

    /** Per-layer offsets; {@code null} (list or entry) means 0.5 on both axes. */
    public Builder offsets(List<AxisPair> offsets) {
      this.offsets = offsets == null ? null : new ArrayList<>(offsets);
      return this;
    }

    public Builder clipBoxes(boolean value) {
      this.clipBoxes = value;
      return this;
    }

    public Builder variances(double... variances) {
      this.variances = variances == null ? null : variances.clone();
      return this;
    }

    public Builder coords(BoxFormat coords) {
      this.coords = coords;
      return this;
    }

    public Builder normalizeCoords(boolean value) {
      this.normalizeCoords = value;
      return this;
    }

    /** Resolves the shorthand forms and validates everything. */
    public AnchorConfig build() {
      if (predictorSizes == null || predictorSizes.isEmpty()) {
        throw new IllegalArgumentException("predictorSizes must name at least one layer");
      }
      int layers = predictorSizes.size();
      List<Double> resolvedScales = scales;
      if (resolvedScales == null) {
        if (!(minScale > 0) || !(minScale <= maxScale) || !Double.isFinite(maxScale)) {
          throw new IllegalArgumentException(
              "without explicit scales, 0 < minScale <= maxScale is required, but minScale is "
                  + minScale
                  + " and maxScale is "
                  + maxScale);
        }
        resolvedScales = linspace(minScale, maxScale, layers + 1);
      }
      List<List<Double>> ars;
      if (aspectRatiosPerLayer != null) {
        ars = aspectRatiosPerLayer;
      } else if (aspectRatiosGlobal != null) {
        ars = Collections.nCopies(layers, aspectRatiosGlobal);
      } else {
        throw new IllegalArgumentException(
            "either aspectRatiosGlobal or aspectRatiosPerLayer must be given");
      }
      if (variances == null) {
        throw new IllegalArgumentException("variances must not be null");
      }
      return new AnchorConfig(
          imageHeight,
          imageWidth,
          predictorSizes,
          resolvedScales,
          ars,
          twoBoxesForAr1,
          resolveSteps(layers),
          resolveOffsets(layers),
          clipBoxes,
          Arrays.stream(variances).boxed().toList(),
          coords,
          normalizeCoords);
    }

    private List<AxisPair> resolveSteps(int layers) {
      checkLength(steps, layers, "steps");
      List<AxisPair> out = new ArrayList<>();
      for (int i = 0; i < layers; i++) {
        AxisPair s = steps == null ? null : steps.get(i);
        if (s == null) {
          FeatureMapSize fm = predictorSizes.get(i);
          if (fm == null) {
            throw new IllegalArgumentException("predictorSizes[" + i + "] must not be null");
          }
          s = AxisPair.of((double) imageHeight / fm.height(), (double) imageWidth / fm.width());
        }
        out.add(s);
      }
      return out;
    }

    private List<AxisPair> resolveOffsets(int layers) {
      checkLength(offsets, layers, "offsets");
      List<AxisPair> out = new ArrayList<>();
      for (int i = 0; i < layers; i++) {
        AxisPair o = offsets == null ? null : offsets.get(i);
        out.add(o == null ? AxisPair.both(0.5) : o);
      }
      return out;
    }

    private static void checkLength(List<?> list, int layers, String field) {
      if (list != null && list.size() != layers) {
        throw new IllegalArgumentException(
            field
                + " must have "
                + layers
                + " entries (one per predictor layer), but has "
                + list.size());
      }
    }
  }

  /** numpy's {@code linspace(a, b, n)}: {@code a + k·(b−a)/(n−1)}, the last element exactly b. */
  static List<Double> linspace(double a, double b, int n) {
    List<Double> out = new ArrayList<>(n);
    if (n == 1) {
      out.add(a);
      return out;
    }
    double step = (b - a) / (n - 1);
    for (int k = 0; k < n - 1; k++) {
      out.add(k * step + a);
    }
    out.add(b);
    return out;
  }
}
