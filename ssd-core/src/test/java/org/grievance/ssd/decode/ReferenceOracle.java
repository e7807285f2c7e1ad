package org.grievance.ssd.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately naive, independent transcription of the reference decoders (README of
 * decode.json), used as a test oracle: boxes decoded with their own formulas, NMS as "pick the
 * maximum, delete overlapping rows, repeat" (quadratic), rows in the reference's order and top-k
 * left to the caller. The IoU is pluggable so that the same oracle can reproduce the golden vectors
 * with the reference's IoU quirk and give the corrected expectation.
 */
final class ReferenceOracle {
  private ReferenceOracle() {}

  /** IoU of two corner boxes with border delta d. */
  interface Iou {
    double of(double[] a, double[] b, int d);
  }

  /**
   * The reference's IoU: intersection with d = 0 always, areas with d (quirk 1 in
   * docs/reference-behaviour.md).
   */
  static final Iou QUIRK_IOU =
      (a, b, d) -> {
        double iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
        double ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        double inter = iw * ih;
        double areaA = (a[2] - a[0] + d) * (a[3] - a[1] + d);
        double areaB = (b[2] - b[0] + d) * (b[3] - b[1] + d);
        return inter / (areaA + areaB - inter);
      };

  /** The corrected IoU: d on the intersection sides too (VOC devkit for d = 1). */
  static final Iou CORRECTED_IOU =
      (a, b, d) -> {
        double iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]) + d);
        double ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]) + d);
        double inter = iw * ih;
        double areaA = (a[2] - a[0] + d) * (a[3] - a[1] + d);
        double areaB = (b[2] - b[0] + d) * (b[3] - b[1] + d);
        double union = areaA + areaB - inter;
        return union > 0 ? inter / union : 0;
      };

  /** A row {@code [classId, score, xmin, ymin, xmax, ymax]}. */
  static double[] row(int classId, double score, double[] box) {
    return new double[] {classId, score, box[0], box[1], box[2], box[3]};
  }

  /** Corners of anchor i, in the reference's formulas, scaled by (sx, sy). */
  static double[] decodeBox(
      double[] offsets, double[] anchors, double[] v, String coords, int i, double sx, double sy) {
    double[] t = {offsets[4 * i], offsets[4 * i + 1], offsets[4 * i + 2], offsets[4 * i + 3]};
    double[] a = {anchors[4 * i], anchors[4 * i + 1], anchors[4 * i + 2], anchors[4 * i + 3]};
    double[] c;
    switch (coords) {
      case "centroids" -> {
        double w = Math.exp(t[2] * v[2]) * a[2];
        double h = Math.exp(t[3] * v[3]) * a[3];
        double cx = t[0] * (v[0] * a[2]) + a[0];
        double cy = t[1] * (v[1] * a[3]) + a[1];
        c = new double[] {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
      }
      case "corners" -> {
        double aw = a[2] - a[0];
        double ah = a[3] - a[1];
        c =
            new double[] {
              t[0] * v[0] * aw + a[0],
              t[1] * v[1] * ah + a[1],
              t[2] * v[2] * aw + a[2],
              t[3] * v[3] * ah + a[3]
            };
      }
      case "minmax" -> {
        double aw = a[1] - a[0];
        double ah = a[3] - a[2];
        double[] m = {
          t[0] * v[0] * aw + a[0],
          t[1] * v[1] * aw + a[1],
          t[2] * v[2] * ah + a[2],
          t[3] * v[3] * ah + a[3]
        };
        c = new double[] {m[0], m[2], m[1], m[3]};
      }
      default -> throw new IllegalArgumentException(coords);
    }
    return new double[] {c[0] * sx, c[1] * sy, c[2] * sx, c[3] * sy};
  }

  /** Greedy NMS on rows [.., score at 1, box at 2..5], in pick order. */
  static List<double[]> nms(List<double[]> rows, double threshold, int d, Iou iou) {
    List<double[]> remaining = new ArrayList<>(rows);
    List<double[]> kept = new ArrayList<>();
    while (!remaining.isEmpty()) {
      int best = 0;
      for (int i = 1; i < remaining.size(); i++) {
        if (remaining.get(i)[1] > remaining.get(best)[1]) {
          best = i;
        }
      }
      double[] pick = remaining.remove(best);
      kept.add(pick);
      double[] pb = {pick[2], pick[3], pick[4], pick[5]};
      List<double[]> next = new ArrayList<>();
      for (double[] r : remaining) {
        if (iou.of(new double[] {r[2], r[3], r[4], r[5]}, pb, d) <= threshold) {
          next.add(r);
        }
      }
      remaining = next;
    }
    return kept;
  }

  /** decode_detections without its top-k step: rows per class, then NMS order. */
  static List<double[]> decodeDetections(
      double[] scores,
      double[] offsets,
      double[] anchors,
      double[] variances,
      String coords,
      double sx,
      double sy,
      double confidence,
      double iouThreshold,
      int d,
      Iou iou) {
    int n = anchors.length / 4;
    int columns = scores.length / n;
    List<double[]> out = new ArrayList<>();
    for (int c = 1; c < columns; c++) {
      List<double[]> rows = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        double s = scores[i * columns + c];
        if (s > confidence) {
          rows.add(row(c, s, decodeBox(offsets, anchors, variances, coords, i, sx, sy)));
        }
      }
      out.addAll(nms(rows, iouThreshold, d, iou));
    }
    return out;
  }

  /** decode_detections_fast without its top-k step; iouThreshold 0 disables NMS. */
  static List<double[]> decodeDetectionsFast(
      double[] scores,
      double[] offsets,
      double[] anchors,
      double[] variances,
      String coords,
      double sx,
      double sy,
      double confidence,
      double iouThreshold,
      int d,
      Iou iou) {
    int n = anchors.length / 4;
    int columns = scores.length / n;
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int c = 1; c < columns; c++) {
        if (scores[i * columns + c] > scores[i * columns + best]) {
          best = c;
        }
      }
      double s = scores[i * columns + best];
      if (best != 0 && s >= confidence) {
        rows.add(row(best, s, decodeBox(offsets, anchors, variances, coords, i, sx, sy)));
      }
    }
    return iouThreshold == 0 ? rows : nms(rows, iouThreshold, d, iou);
  }
}
