package org.grievance.ssd.spec;

import java.util.List;
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
 */
public record DecoderDefaults(
    DecoderKind kind, double confidenceThreshold, double iouThreshold, int topK) {

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
  }

  /** For showing results: per-class NMS, confidence 0.5, IoU 0.45, top 200. */
  public static DecoderDefaults forPrediction() {
    return new DecoderDefaults(DecoderKind.PER_CLASS, 0.5, 0.45, 200);
  }

  /**
   * The decoder configuration for a model with these anchors and classes. NMS uses the {@code
   * borderPixels} convention given (the reference decodes with {@code half}, its evaluator with
   * {@code include}).
   */
  public DecoderConfig toConfig(
      AnchorConfig anchors, List<String> classNames, BorderPixels borderPixels) {
    return DecoderConfig.builder()
        .confidenceThreshold(confidenceThreshold)
        .iouThreshold(iouThreshold)
        .topK(topK)
        .coords(anchors.coords())
        .normalizeCoords(anchors.normalizeCoords())
        .borderPixels(borderPixels)
        .classNames(classNames)
        .build();
  }
}
