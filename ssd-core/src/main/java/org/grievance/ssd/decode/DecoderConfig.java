package org.grievance.ssd.decode;

import java.util.List;
import java.util.Objects;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.BoxFormat;

/**
 * Settings shared by both detection decoders, validated at construction.
 *
 * @param confidenceThreshold minimum class probability of a candidate, in {@code [0, 1]}; the
 *     per-class decoder needs {@code score > threshold}, the global one {@code score >= threshold}
 *     (as in the reference)
 * @param iouThreshold greedy NMS suppresses a box whose IoU with an already kept box is greater
 *     than this, in {@code [0, 1]}; for {@link GlobalNmsDecoder} 0 disables NMS (reference
 *     behaviour)
 * @param topK at most this many detections per image, {@code >= 1}; {@link #TOP_K_ALL} keeps all
 * @param coords layout of the anchors and of the predicted offsets
 * @param normalizeCoords anchors are normalised to {@code [0, 1]}: boxes are scaled by the image
 *     size; otherwise boxes stay in the anchors' units
 * @param borderPixels border convention of the IoU inside NMS
 * @param classNames names of classes 1..C ({@code classNames.get(0)} names class 1); empty means
 *     {@code class_<id>}
 * @param classThresholds a confidence threshold for each class 1..C ({@code get(0)} for class 1),
 *     each in {@code [0, 1]}, used instead of {@code confidenceThreshold} with the same comparison;
 *     empty means every class uses {@code confidenceThreshold}. Thresholds apply before NMS and
 *     top-k, so a class held to a high threshold leaves room in the top-k for the others.
 */
public record DecoderConfig(
    double confidenceThreshold,
    double iouThreshold,
    int topK,
    BoxFormat coords,
    boolean normalizeCoords,
    BorderPixels borderPixels,
    List<String> classNames,
    List<Double> classThresholds) {

  /** The {@code topK} value meaning "no limit" (the reference's {@code 'all'}). */
  public static final int TOP_K_ALL = Integer.MAX_VALUE;

  /** Validates every field; a null {@code classNames} means no names. */
  public DecoderConfig {
    if (!(confidenceThreshold >= 0 && confidenceThreshold <= 1)) {
      throw new IllegalArgumentException(
          "confidenceThreshold must be in [0, 1], got " + confidenceThreshold);
    }
    if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
      throw new IllegalArgumentException("iouThreshold must be in [0, 1], got " + iouThreshold);
    }
    if (topK < 1) {
      throw new IllegalArgumentException(
          "topK must be >= 1 (use TOP_K_ALL for no limit), got " + topK);
    }
    Objects.requireNonNull(coords, "coords");
    Objects.requireNonNull(borderPixels, "borderPixels");
    classNames = classNames == null ? List.of() : List.copyOf(classNames);
    for (int i = 0; i < classNames.size(); i++) {
      if (classNames.get(i).isBlank()) {
        throw new IllegalArgumentException(
            "classNames[" + i + "] (class " + (i + 1) + ") is blank");
      }
    }
    classThresholds = classThresholds == null ? List.of() : List.copyOf(classThresholds);
    for (int i = 0; i < classThresholds.size(); i++) {
      double t = classThresholds.get(i);
      if (!(t >= 0 && t <= 1)) {
        throw new IllegalArgumentException(
            "classThresholds[" + i + "] (class " + (i + 1) + ") must be in [0, 1], got " + t);
      }
    }
    if (!classThresholds.isEmpty()
        && !classNames.isEmpty()
        && classThresholds.size() != classNames.size()) {
      throw new IllegalArgumentException(
          "classThresholds holds "
              + classThresholds.size()
              + " thresholds but classNames "
              + classNames.size()
              + " names");
    }
  }

  /** Without per-class thresholds: every class uses {@code confidenceThreshold}. */
  public DecoderConfig(
      double confidenceThreshold,
      double iouThreshold,
      int topK,
      BoxFormat coords,
      boolean normalizeCoords,
      BorderPixels borderPixels,
      List<String> classNames) {
    this(
        confidenceThreshold,
        iouThreshold,
        topK,
        coords,
        normalizeCoords,
        borderPixels,
        classNames,
        List.of());
  }

  /** A builder starting from the reference's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder()
        .confidenceThreshold(confidenceThreshold)
        .iouThreshold(iouThreshold)
        .topK(topK)
        .coords(coords)
        .normalizeCoords(normalizeCoords)
        .borderPixels(borderPixels)
        .classNames(classNames)
        .classThresholds(classThresholds);
  }

  /** True when classes have thresholds of their own. */
  public boolean hasClassThresholds() {
    return !classThresholds.isEmpty();
  }

  /**
   * The confidence threshold of class {@code classId} (1-based): its own, or {@code
   * confidenceThreshold} without per-class thresholds.
   */
  public double confidenceThreshold(int classId) {
    return classThresholds.isEmpty() ? confidenceThreshold : classThresholds.get(classId - 1);
  }

  /** True when {@code topK} limits the output. */
  public boolean hasTopK() {
    return topK != TOP_K_ALL;
  }

  /**
   * The name of class {@code classId} (1-based): the configured one, or {@code class_<id>} when no
   * names are configured.
   */
  public String className(int classId) {
    if (classNames.isEmpty()) {
      return "class_" + classId;
    }
    if (classId < 1 || classId > classNames.size()) {
      throw new IllegalArgumentException(
          "class id " + classId + " has no name: classNames holds " + classNames.size());
    }
    return classNames.get(classId - 1);
  }

  /**
   * Builder with the defaults of the reference's {@code decode_detections}: confidence 0.01, IoU
   * 0.45, top-k 200, centroids, normalised, border {@code half}, no class names.
   */
  public static final class Builder {
    private double confidenceThreshold = 0.01;
    private double iouThreshold = 0.45;
    private int topK = 200;
    private BoxFormat coords = BoxFormat.CENTROIDS;
    private boolean normalizeCoords = true;
    private BorderPixels borderPixels = BorderPixels.HALF;
    private List<String> classNames = List.of();
    private List<Double> classThresholds = List.of();

    private Builder() {}

    public Builder confidenceThreshold(double value) {
      this.confidenceThreshold = value;
      return this;
    }

    public Builder iouThreshold(double value) {
      this.iouThreshold = value;
      return this;
    }

    /** No NMS in {@link GlobalNmsDecoder} (IoU threshold 0, as the reference's 0/None). */
    public Builder noNms() {
      this.iouThreshold = 0;
      return this;
    }

    public Builder topK(int value) {
      this.topK = value;
      return this;
    }

    /** No top-k limit (the reference's {@code 'all'}). */
    public Builder topKAll() {
      this.topK = TOP_K_ALL;
      return this;
    }

    public Builder coords(BoxFormat value) {
      this.coords = value;
      return this;
    }

    public Builder normalizeCoords(boolean value) {
      this.normalizeCoords = value;
      return this;
    }

    public Builder borderPixels(BorderPixels value) {
      this.borderPixels = value;
      return this;
    }

    public Builder classNames(List<String> value) {
      this.classNames = value;
      return this;
    }

    /** A threshold per class 1..C; empty or {@code null} for none. */
    public Builder classThresholds(List<Double> value) {
      this.classThresholds = value;
      return this;
    }

    public DecoderConfig build() {
      return new DecoderConfig(
          confidenceThreshold,
          iouThreshold,
          topK,
          coords,
          normalizeCoords,
          borderPixels,
          classNames,
          classThresholds);
    }
  }
}
