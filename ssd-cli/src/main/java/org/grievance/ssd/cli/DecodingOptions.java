package org.grievance.ssd.cli;

import picocli.CommandLine.Option;

/**
 * How detections are decoded and batched: {@code --threshold}, {@code --nms-iou}, {@code --top-k},
 * {@code --decoder} and {@code --batch-size}. A picocli mixin, so that {@code ssd predict} and
 * {@code ssd batch predict} take the same options with the same meaning; a value left out is the
 * model's own.
 */
public final class DecodingOptions {
  @Option(
      names = "--threshold",
      paramLabel = "P",
      description =
          "Minimum confidence for every class. Default: the model's: the per-class thresholds"
              + " that ssd train or ssd calibrate chose where it has them, else 0.5 unless it"
              + " says otherwise. Given, it replaces the per-class thresholds.")
  public Double threshold;

  @Option(
      names = "--nms-iou",
      paramLabel = "IOU",
      description = "NMS IoU threshold (default: the model's, 0.45).")
  public Double nmsIou;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      description = "At most K detections per image (default: the model's, 200).")
  public Integer topK;

  @Option(
      names = "--decoder",
      paramLabel = "per-class|fast",
      description = "Per-class NMS (reference decode_detections) or one class per box, global NMS.")
  public String decoder;

  @Option(
      names = "--batch-size",
      defaultValue = "8",
      paramLabel = "N",
      description =
          "Images (with --tiles: tiles of one image) per forward pass (default:"
              + " ${DEFAULT-VALUE}).")
  public int batchSize = 8;
}
