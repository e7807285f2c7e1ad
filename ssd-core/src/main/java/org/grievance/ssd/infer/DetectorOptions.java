package org.grievance.ssd.infer;

import java.util.Map;
import java.util.Objects;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.decode.DecoderConfig;
import org.grievance.ssd.decode.DecoderKind;
import org.grievance.ssd.spec.DecoderDefaults;
import org.grievance.ssd.spec.ModelDescription;

/**
 * How a {@link Detector} decodes and batches. Decoder settings left unset ({@code null}) come from
 * the model description's {@link DecoderDefaults} (per-class NMS, confidence 0.5, IoU 0.45, top 200
 * unless the model says otherwise), including its per-class thresholds; a confidence threshold set
 * here replaces them all, for every class.
 *
 * @param decoder decoder kind, or {@code null} for the model's
 * @param confidenceThreshold in {@code [0, 1]} for every class, or {@code null} for the model's
 *     (its per-class thresholds where it has them)
 * @param iouThreshold NMS IoU threshold in {@code [0, 1]}, or {@code null} for the model's
 * @param topK detections per image, {@code >= 1}, or {@code null} for the model's
 * @param nmsBorderPixels border convention of the IoU inside NMS ({@code half} as the reference's
 *     decoders; its evaluator uses {@code include})
 * @param batchSize images, or tiles of one image, per forward pass, {@code >= 1}
 * @param threads PyTorch intra-op threads (process-wide), or 0 to leave the engine's setting
 * @param tiling cut each image into overlapping tiles plus a whole-image pass ({@link Tiling}), or
 *     {@code null} to detect on the whole image only
 */
public record DetectorOptions(
    DecoderKind decoder,
    Double confidenceThreshold,
    Double iouThreshold,
    Integer topK,
    BorderPixels nmsBorderPixels,
    int batchSize,
    int threads,
    Tiling tiling) {

  /** Images per forward pass unless set. */
  public static final int DEFAULT_BATCH_SIZE = 8;

  /** Validates the fields that are set. */
  public DetectorOptions {
    if (confidenceThreshold != null && !(confidenceThreshold >= 0 && confidenceThreshold <= 1)) {
      throw new IllegalArgumentException(
          "confidenceThreshold must be in [0, 1], got " + confidenceThreshold);
    }
    if (iouThreshold != null && !(iouThreshold >= 0 && iouThreshold <= 1)) {
      throw new IllegalArgumentException("iouThreshold must be in [0, 1], got " + iouThreshold);
    }
    if (topK != null && topK < 1) {
      throw new IllegalArgumentException("topK must be >= 1, got " + topK);
    }
    Objects.requireNonNull(nmsBorderPixels, "nmsBorderPixels");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    if (threads < 0) {
      throw new IllegalArgumentException(
          "threads must be >= 0 (0: engine default), got " + threads);
    }
  }

  /** Everything from the model description; border {@code half}; batches of 8. */
  public static DetectorOptions defaults() {
    return builder().build();
  }

  /**
   * The reference evaluator's decoding: per-class NMS, confidence 0.01, IoU 0.45, top 200, NMS
   * border {@code include}.
   */
  public static DetectorOptions evaluation() {
    return builder()
        .decoder(DecoderKind.PER_CLASS)
        .confidenceThreshold(0.01)
        .iouThreshold(0.45)
        .topK(200)
        .nmsBorderPixels(BorderPixels.INCLUDE)
        .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .decoder(decoder)
        .confidenceThreshold(confidenceThreshold)
        .iouThreshold(iouThreshold)
        .topK(topK)
        .nmsBorderPixels(nmsBorderPixels)
        .batchSize(batchSize)
        .threads(threads)
        .tiling(tiling);
  }

  /**
   * The decoder defaults with these options applied; an explicit confidence threshold drops the
   * per-class ones.
   */
  public DecoderDefaults resolve(DecoderDefaults defaults) {
    return new DecoderDefaults(
        decoder != null ? decoder : defaults.kind(),
        confidenceThreshold != null ? confidenceThreshold : defaults.confidenceThreshold(),
        iouThreshold != null ? iouThreshold : defaults.iouThreshold(),
        topK != null ? topK : defaults.topK(),
        confidenceThreshold != null ? Map.of() : defaults.classThresholds());
  }

  /** The decoder configuration for {@code description} with these options applied. */
  public DecoderConfig decoderConfig(ModelDescription description) {
    return resolve(description.decoder())
        .toConfig(description.anchors(), description.classNames(), nmsBorderPixels);
  }

  /** Builder for {@link DetectorOptions}; unset decoder fields follow the model. */
  public static final class Builder {
    private DecoderKind decoder;
    private Double confidenceThreshold;
    private Double iouThreshold;
    private Integer topK;
    private BorderPixels nmsBorderPixels = BorderPixels.HALF;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int threads;
    private Tiling tiling;

    private Builder() {}

    public Builder decoder(DecoderKind value) {
      this.decoder = value;
      return this;
    }

    public Builder confidenceThreshold(Double value) {
      this.confidenceThreshold = value;
      return this;
    }

    public Builder iouThreshold(Double value) {
      this.iouThreshold = value;
      return this;
    }

    public Builder topK(Integer value) {
      this.topK = value;
      return this;
    }

    public Builder nmsBorderPixels(BorderPixels value) {
      this.nmsBorderPixels = value;
      return this;
    }

    public Builder batchSize(int value) {
      this.batchSize = value;
      return this;
    }

    public Builder threads(int value) {
      this.threads = value;
      return this;
    }

    /** Tiled detection, or {@code null} (the default) for the whole image only. */
    public Builder tiling(Tiling value) {
      this.tiling = value;
      return this;
    }

    public DetectorOptions build() {
      return new DetectorOptions(
          decoder,
          confidenceThreshold,
          iouThreshold,
          topK,
          nmsBorderPixels,
          batchSize,
          threads,
          tiling);
    }
  }
}
