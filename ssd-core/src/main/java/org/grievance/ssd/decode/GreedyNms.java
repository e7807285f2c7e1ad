package org.grievance.ssd.decode;

import java.util.Arrays;
import java.util.Objects;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.BoxFormat;
import org.grievance.ssd.box.Boxes;

/**
 * Greedy non-maximum suppression: boxes are offered best first; a box is kept when its IoU with
 * every box kept so far is {@code <=} the threshold (suppressed when greater), as in the reference.
 *
 * <p>Offering candidates in score order and comparing each only with the kept boxes is the same as
 * the reference's "pick the best, delete everything overlapping it, repeat", but costs {@code
 * candidates × kept} IoUs instead of {@code candidates²}, and lets a caller stop once it has kept
 * enough. IoU is {@link Boxes#iouCorners} with the configured border convention — the corrected
 * IoU, which differs from the reference for {@code include}/{@code exclude} (its bug,
 * docs/reference-behaviour.md#quirk-1-iou-border).
 *
 * <p>An instance is a reusable, single-threaded accumulator of kept boxes ({@link #offer}); {@link
 * #select} runs the whole procedure on an explicit list.
 */
public final class GreedyNms {
  private final double iouThreshold;
  private final int d;
  private double[] kept = new double[4 * 16];
  private int size;

  /**
   * @param iouThreshold suppress boxes with IoU greater than this, {@code >= 0}
   * @param borderPixels border convention of the IoU
   */
  public GreedyNms(double iouThreshold, BorderPixels borderPixels) {
    if (!(iouThreshold >= 0)) {
      throw new IllegalArgumentException("iouThreshold must be >= 0, got " + iouThreshold);
    }
    this.iouThreshold = iouThreshold;
    this.d = Objects.requireNonNull(borderPixels, "borderPixels").delta();
  }

  /** Forgets every kept box. */
  public void reset() {
    size = 0;
  }

  /** Number of boxes kept since the last {@link #reset()}. */
  public int size() {
    return size;
  }

  /**
   * Offers the next box (corners, in non-increasing priority order) and keeps it unless it overlaps
   * a kept box by more than the threshold.
   *
   * @return whether the box was kept
   */
  public boolean offer(double xmin, double ymin, double xmax, double ymax) {
    double[] k = kept;
    for (int j = 0, end = 4 * size; j < end; j += 4) {
      // Most pairs do not overlap in x. This is the x side of Boxes.intersectionCorners (same
      // value; plain comparisons are cheaper than Math.min/max): side <= 0 means IoU 0, which never
      // exceeds a threshold >= 0.
      double kx0 = k[j];
      double kx1 = k[j + 2];
      if ((xmax < kx1 ? xmax : kx1) - (xmin > kx0 ? xmin : kx0) + d <= 0) {
        continue;
      }
      double iou = Boxes.iouCorners(xmin, ymin, xmax, ymax, kx0, k[j + 1], kx1, k[j + 3], d);
      if (iou > iouThreshold) {
        return false;
      }
    }
    if (4 * size == kept.length) {
      kept = Arrays.copyOf(kept, kept.length * 2);
    }
    int j = 4 * size;
    kept[j] = xmin;
    kept[j + 1] = ymin;
    kept[j + 2] = xmax;
    kept[j + 3] = ymax;
    size++;
    return true;
  }

  /**
   * Greedy NMS over an explicit list, class-agnostic.
   *
   * @param boxes {@code n·4} boxes in {@code format}
   * @param scores {@code n} scores
   * @return indices of the kept boxes in pick order (score descending, lower index first on ties)
   */
  public static int[] select(
      double[] boxes,
      BoxFormat format,
      double[] scores,
      double iouThreshold,
      BorderPixels borderPixels) {
    Objects.requireNonNull(format, "format");
    if (boxes.length % 4 != 0) {
      throw new IllegalArgumentException(
          "boxes must hold 4 numbers per box, but has length " + boxes.length);
    }
    int n = boxes.length / 4;
    if (scores.length != n) {
      throw new IllegalArgumentException(
          "scores must hold one number per box (" + n + "), but has length " + scores.length);
    }
    double[] corners =
        format == BoxFormat.CORNERS
            ? boxes
            : Boxes.convert(boxes, format, BoxFormat.CORNERS, BorderPixels.HALF);
    CandidateQueue queue = new CandidateQueue(n);
    for (int i = 0; i < n; i++) {
      queue.add(i, scores[i]);
    }
    GreedyNms nms = new GreedyNms(iouThreshold, borderPixels);
    int[] out = new int[n];
    int count = 0;
    while (!queue.isEmpty()) {
      int i = queue.poll();
      int k = 4 * i;
      if (nms.offer(corners[k], corners[k + 1], corners[k + 2], corners[k + 3])) {
        out[count++] = i;
      }
    }
    return Arrays.copyOf(out, count);
  }
}
