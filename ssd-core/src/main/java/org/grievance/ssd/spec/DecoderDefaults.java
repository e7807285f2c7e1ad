package org.grievance.ssd.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.decode.DecoderConfig;
import org.grievance.ssd.decode.DecoderKind;

/**
 * How a model's output is turned into detections unless the caller says otherwise; stored in the
 * model description so that a trained model predicts sensibly out of the box.
 *
 * @param kind which decoder
 * @param confidenceThreshold minimum class probability, in {@code [0, 1]}
 * @param iouThreshold NMS IoU threshold, in {@code [0, 1]}
 * @param topK at most this many detections per image, {@code >= 1}
 * @param classThresholds a confidence threshold of their own for some classes, by class name, each
 *     in {@code [0, 1]} (chosen on validation precision–recall curves by {@code ssd calibrate} or
 *     at the end of {@code ssd train}); the other classes use {@code confidenceThreshold}. Empty
 *     for none. A caller's explicit threshold replaces all of them ({@code
 *     infer.DetectorOptions#confidenceThreshold}).
 */
public record DecoderDefaults(
    DecoderKind kind,
    double confidenceThreshold,
    double iouThreshold,
    int topK,
    Map<String, Double> classThresholds) {

  /** Validates every field, naming it. */
  public DecoderDefaults {
    Objects.requireNonNull(kind, "decoder.kind");
    if (!(confidenceThreshold >= 0 && confidenceThreshold <= 1)) {
      throw new IllegalArgumentException(
          "decoder.confidenceThreshold must be in [0, 1], got " + confidenceThreshold);
    }
    if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
      throw new IllegalArgumentException(
          "decoder.iouThreshold must be in [0, 1], got " + iouThreshold);
    }
    if (topK < 1) {
      throw new IllegalArgumentException("decoder.topK must be >= 1, got " + topK);
    }
    Map<String, Double> copy = new LinkedHashMap<>();
    if (classThresholds != null) {
      for (Map.Entry<String, Double> e : classThresholds.entrySet()) {
        String name = e.getKey();
        if (name == null || name.isBlank()) {
          throw new IllegalArgumentException(
              "decoder.classThresholds has a blank class name: " + classThresholds);
        }
        Double t = e.getValue();
        if (t == null || !(t >= 0 && t <= 1)) {
          throw new IllegalArgumentException(
              "decoder.classThresholds." + name + " must be in [0, 1], got " + t);
        }
        copy.put(name, t);
      }
    }
    classThresholds = Collections.unmodifiableMap(copy);
  }

  /** Without per-class thresholds. */
  public DecoderDefaults(
      DecoderKind kind, double confidenceThreshold, double iouThreshold, int topK) {
    this(kind, confidenceThreshold, iouThreshold, topK, Map.of());
  }

  /** These defaults with other per-class thresholds (empty: none). */
  public DecoderDefaults withClassThresholds(Map<String, Double> thresholds) {
    return new DecoderDefaults(kind, confidenceThreshold, iouThreshold, topK, thresholds);
  }

  /** The confidence threshold of class {@code className}: its own, or the global one. */
  public double confidenceThreshold(String className) {
    return classThresholds.getOrDefault(className, confidenceThreshold);
  }

  /**
   * These defaults with the per-class thresholds in the order of {@code classNames}.
   *
   * @throws IllegalArgumentException if a per-class threshold names no class of {@code classNames}
   */
  public DecoderDefaults inClassOrder(List<String> classNames) {
    for (String name : classThresholds.keySet()) {
      if (!classNames.contains(name)) {
        throw new IllegalArgumentException(
            "decoder.classThresholds names '"
                + name
                + "', which is not one of the classNames "
                + classNames);
      }
    }
    Map<String, Double> ordered = new LinkedHashMap<>();
    for (String name : classNames) {
      if (classThresholds.containsKey(name)) {
        ordered.put(name, classThresholds.get(name));
      }
    }
    return withClassThresholds(ordered);
  }

  /** For showing results: per-class NMS, confidence 0.5, IoU 0.45, top 200. */
  public static DecoderDefaults forPrediction() {
    return new DecoderDefaults(DecoderKind.PER_CLASS, 0.5, 0.45, 200);
  }

  /**
   * The decoder configuration for a model with these anchors and classes. NMS uses the {@code
   * borderPixels} convention given (the reference decodes with {@code half}, its evaluator with
   * {@code include}). Per-class thresholds become one threshold per class, the global one for
   * classes without their own.
   *
   * @throws IllegalArgumentException if a per-class threshold names no class of {@code classNames}
   */
  public DecoderConfig toConfig(
      AnchorConfig anchors, List<String> classNames, BorderPixels borderPixels) {
    List<Double> perClass = new ArrayList<>();
    if (!classThresholds.isEmpty()) {
      inClassOrder(classNames); // checks the names
      for (String name : classNames) {
        perClass.add(confidenceThreshold(name));
      }
    }
    return DecoderConfig.builder()
        .confidenceThreshold(confidenceThreshold)
        .iouThreshold(iouThreshold)
        .topK(topK)
        .coords(anchors.coords())
        .normalizeCoords(anchors.normalizeCoords())
        .borderPixels(borderPixels)
        .classNames(classNames)
        .classThresholds(perClass)
        .build();
  }
}
