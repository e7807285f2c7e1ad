package org.grievance.ssd.box;

/**
 * Box arithmetic over flat {@code double[]} arrays holding four numbers per box.
 *
 * <p>Conversions follow the reference exactly: {@link BorderPixels#delta()} is applied only when
 * computing a width or height (the {@code *→centroids} direction); the inverse conversions never
 * subtract it, so {@code include}/{@code exclude} conversions do not round-trip.
 *
 * <p>IoU deliberately differs from the reference: the reference computes the intersection with
 * {@code d = 0} whatever {@code border_pixels} says and applies {@code d} only to the two areas
 * (its bug, docs/reference-behaviour.md#quirk-1-iou-border: with {@code include} two identical
 * boxes have IoU below 1). Here the same {@code d} is applied to the intersection sides and to both
 * areas, so identical boxes always have IoU 1 and the {@code include} IoU equals the Pascal VOC
 * devkit's.
 */
public final class Boxes {
  private Boxes() {}

  /** Converts every box of {@code boxes} (length a multiple of 4) into a new array. */
  public static double[] convert(
      double[] boxes, BoxFormat from, BoxFormat to, BorderPixels borderPixels) {
    requireBoxes(boxes, "boxes");
    double[] out = new double[boxes.length];
    for (int i = 0; i < boxes.length; i += 4) {
      convert(boxes, i, out, i, from, to, borderPixels);
    }
    return out;
  }

  /**
   * Converts the four consecutive entries starting at {@code startIndex} of every row of a
   * row-major array whose last axis has length {@code rowLength}; all other entries are copied
   * unchanged (the reference's {@code convert_coordinates(tensor, start_index, ...)} on a tensor of
   * any rank). A negative {@code startIndex} counts from the end of the row ({@code -4} = the last
   * four entries), which is how the model output's {@code [..., -8:-4]} anchor slot is addressed.
   */
  public static double[] convertInRows(
      double[] data,
      int rowLength,
      int startIndex,
      BoxFormat from,
      BoxFormat to,
      BorderPixels borderPixels) {
    if (rowLength < 4) {
      throw new IllegalArgumentException("rowLength must be at least 4, but is " + rowLength);
    }
    if (data.length % rowLength != 0) {
      throw new IllegalArgumentException(
          "data length " + data.length + " is not a multiple of rowLength " + rowLength);
    }
    int start = startIndex < 0 ? rowLength + startIndex : startIndex;
    if (start < 0 || start + 4 > rowLength) {
      throw new IllegalArgumentException(
          "startIndex " + startIndex + " leaves no room for 4 entries in rows of " + rowLength);
    }
    double[] out = data.clone();
    for (int row = 0; row < data.length; row += rowLength) {
      convert(data, row + start, out, row + start, from, to, borderPixels);
    }
    return out;
  }

  /**
   * Converts one box read at {@code src[srcOff..srcOff+3]} into {@code dst[dstOff..dstOff+3]}. The
   * two ranges may be the same.
   */
  public static void convert(
      double[] src,
      int srcOff,
      double[] dst,
      int dstOff,
      BoxFormat from,
      BoxFormat to,
      BorderPixels borderPixels) {
    double a0 = src[srcOff];
    double a1 = src[srcOff + 1];
    double a2 = src[srcOff + 2];
    double a3 = src[srcOff + 3];
    // Go through corners: xmin, ymin, xmax, ymax.
    double xmin;
    double ymin;
    double xmax;
    double ymax;
    switch (from) {
      case CORNERS -> {
        xmin = a0;
        ymin = a1;
        xmax = a2;
        ymax = a3;
      }
      case MINMAX -> {
        xmin = a0;
        xmax = a1;
        ymin = a2;
        ymax = a3;
      }
      case CENTROIDS -> {
        if (to == BoxFormat.CENTROIDS) {
          dst[dstOff] = a0;
          dst[dstOff + 1] = a1;
          dst[dstOff + 2] = a2;
          dst[dstOff + 3] = a3;
          return;
        }
        xmin = a0 - a2 / 2;
        ymin = a1 - a3 / 2;
        xmax = a0 + a2 / 2;
        ymax = a1 + a3 / 2;
      }
      default -> throw new IllegalStateException("unreachable");
    }
    switch (to) {
      case CORNERS -> {
        dst[dstOff] = xmin;
        dst[dstOff + 1] = ymin;
        dst[dstOff + 2] = xmax;
        dst[dstOff + 3] = ymax;
      }
      case MINMAX -> {
        dst[dstOff] = xmin;
        dst[dstOff + 1] = xmax;
        dst[dstOff + 2] = ymin;
        dst[dstOff + 3] = ymax;
      }
      case CENTROIDS -> {
        int d = borderPixels.delta();
        dst[dstOff] = (xmin + xmax) / 2;
        dst[dstOff + 1] = (ymin + ymax) / 2;
        dst[dstOff + 2] = xmax - xmin + d;
        dst[dstOff + 3] = ymax - ymin + d;
      }
      default -> throw new IllegalStateException("unreachable");
    }
  }

  /**
   * Intersection area of two corner boxes with border convention {@code d} (see {@link
   * BorderPixels#delta()}): each side is {@code max(0, min(max1, max2) - max(min1, min2) + d)}.
   */
  public static double intersectionCorners(
      double ax0,
      double ay0,
      double ax1,
      double ay1,
      double bx0,
      double by0,
      double bx1,
      double by1,
      int d) {
    double w = Math.min(ax1, bx1) - Math.max(ax0, bx0) + d;
    if (w <= 0) {
      return 0;
    }
    double h = Math.min(ay1, by1) - Math.max(ay0, by0) + d;
    if (h <= 0) {
      return 0;
    }
    return w * h;
  }

  /**
   * IoU of two corner boxes, applying {@code d} to the intersection and to both areas (the
   * corrected form of the reference's IoU, see the class comment). Returns 0 when the union is not
   * positive (two degenerate boxes) instead of NaN.
   */
  public static double iouCorners(
      double ax0,
      double ay0,
      double ax1,
      double ay1,
      double bx0,
      double by0,
      double bx1,
      double by1,
      int d) {
    double inter = intersectionCorners(ax0, ay0, ax1, ay1, bx0, by0, bx1, by1, d);
    double areaA = (ax1 - ax0 + d) * (ay1 - ay0 + d);
    double areaB = (bx1 - bx0 + d) * (by1 - by0 + d);
    double union = areaA + areaB - inter;
    return union > 0 ? inter / union : 0;
  }

  /** Intersection areas of every pair: an {@code m × n} row-major matrix. */
  public static double[] intersectionMatrix(
      double[] boxes1, double[] boxes2, BoxFormat format, BorderPixels borderPixels) {
    double[] a = toCorners(boxes1, format, "boxes1");
    double[] b = toCorners(boxes2, format, "boxes2");
    int m = a.length / 4;
    int n = b.length / 4;
    int d = borderPixels.delta();
    double[] out = new double[m * n];
    for (int i = 0; i < m; i++) {
      int ai = 4 * i;
      for (int j = 0; j < n; j++) {
        int bj = 4 * j;
        out[i * n + j] =
            intersectionCorners(
                a[ai], a[ai + 1], a[ai + 2], a[ai + 3], b[bj], b[bj + 1], b[bj + 2], b[bj + 3], d);
      }
    }
    return out;
  }

  /** IoU of every pair: an {@code m × n} row-major matrix. */
  public static double[] iouMatrix(
      double[] boxes1, double[] boxes2, BoxFormat format, BorderPixels borderPixels) {
    double[] a = toCorners(boxes1, format, "boxes1");
    double[] b = toCorners(boxes2, format, "boxes2");
    int m = a.length / 4;
    int n = b.length / 4;
    int d = borderPixels.delta();
    double[] out = new double[m * n];
    for (int i = 0; i < m; i++) {
      int ai = 4 * i;
      for (int j = 0; j < n; j++) {
        int bj = 4 * j;
        out[i * n + j] =
            iouCorners(
                a[ai], a[ai + 1], a[ai + 2], a[ai + 3], b[bj], b[bj + 1], b[bj + 2], b[bj + 3], d);
      }
    }
    return out;
  }

  /**
   * Element-wise IoU: {@code boxes1[i]} with {@code boxes2[i]}; when {@code boxes2} holds a single
   * box it is compared with every box of {@code boxes1}.
   */
  public static double[] iouElementwise(
      double[] boxes1, double[] boxes2, BoxFormat format, BorderPixels borderPixels) {
    double[] a = toCorners(boxes1, format, "boxes1");
    double[] b = toCorners(boxes2, format, "boxes2");
    int m = a.length / 4;
    boolean broadcast = b.length == 4;
    if (!broadcast && b.length != a.length) {
      throw new IllegalArgumentException(
          "element-wise IoU needs as many boxes in boxes2 ("
              + b.length / 4
              + ") as in boxes1 ("
              + m
              + "), or a single box");
    }
    int d = borderPixels.delta();
    double[] out = new double[m];
    for (int i = 0; i < m; i++) {
      int ai = 4 * i;
      int bj = broadcast ? 0 : ai;
      out[i] =
          iouCorners(
              a[ai], a[ai + 1], a[ai + 2], a[ai + 3], b[bj], b[bj + 1], b[bj + 2], b[bj + 3], d);
    }
    return out;
  }

  private static double[] toCorners(double[] boxes, BoxFormat format, String what) {
    requireBoxes(boxes, what);
    return format == BoxFormat.CORNERS
        ? boxes
        : convert(boxes, format, BoxFormat.CORNERS, BorderPixels.HALF);
  }

  private static void requireBoxes(double[] boxes, String what) {
    if (boxes.length % 4 != 0) {
      throw new IllegalArgumentException(
          what + " must hold 4 numbers per box, but has length " + boxes.length);
    }
  }
}
