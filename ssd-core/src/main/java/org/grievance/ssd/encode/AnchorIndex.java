package org.grievance.ssd.encode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.anchor.AnchorLayer;
import org.grievance.ssd.anchor.Anchors;

/**
 * The anchors as a search structure for IoU: which anchors overlap a box, and by how much, without
 * visiting all N of them.
 *
 * <p>IoU space: with border delta {@code d = 0} the IoU is scale-free and is taken in the anchors'
 * own units, so that its values equal the reference's bit for bit; with {@code d ≠ 0} the delta is
 * a pixel count, so normalised anchors are scaled to pixels (boxes must then be given in pixels
 * too). Corners and areas are precomputed in that space, structure of arrays.
 *
 * <p>Search: the anchors of one layer and one box shape form a grid; their extents per row and per
 * column, made monotone, let binary search find the rows and columns that can reach a box. A lower
 * bound on the IoU that matters narrows this further: an anchor can only reach {@code IoU >=
 * minIou} if its intersection with the box is at least {@code minIou · max(box area, anchor area)},
 * which bounds how far it may stick out on each axis.
 *
 * <p>Immutable and thread-safe; {@link #overlaps} allocates nothing unless the row pool must grow.
 */
final class AnchorIndex {
  /** Widens the candidate search so that rounding can never drop an overlapping anchor. */
  private static final double SEARCH_SLACK = 1e-7;

  /** Pruning keeps every anchor whose IoU could be within this factor of the bound. */
  private static final double PRUNE_MARGIN = 1 - 1e-9;

  private final int d;
  private final double[] ax0;
  private final double[] ay0;
  private final double[] ax1;
  private final double[] ay1;
  private final double[] aArea;
  private final Shape[] shapes;

  /**
   * @param d the border delta added to every side length (see {@link
   *     org.grievance.ssd.box.BorderPixels#delta()})
   */
  AnchorIndex(Anchors anchors, int d) {
    this.d = d;
    AnchorConfig ac = anchors.config();
    int n = anchors.count();
    double[] corners = anchors.corners();
    boolean toPixels = d != 0 && ac.normalizeCoords();
    double sx = toPixels ? ac.imageWidth() : 1;
    double sy = toPixels ? ac.imageHeight() : 1;
    ax0 = new double[n];
    ay0 = new double[n];
    ax1 = new double[n];
    ay1 = new double[n];
    aArea = new double[n];
    for (int a = 0; a < n; a++) {
      ax0[a] = corners[4 * a] * sx;
      ay0[a] = corners[4 * a + 1] * sy;
      ax1[a] = corners[4 * a + 2] * sx;
      ay1[a] = corners[4 * a + 3] * sy;
      aArea[a] = area(ax0[a], ay0[a], ax1[a], ay1[a]);
    }
    List<Shape> list = new ArrayList<>();
    for (AnchorLayer layer : anchors.layers()) {
      for (int k = 0; k < layer.boxesPerCell(); k++) {
        list.add(new Shape(layer, k, this));
      }
    }
    shapes = list.toArray(new Shape[0]);
  }

  /** Number of anchors N. */
  int size() {
    return ax0.length;
  }

  /** Area of a corner box in the IoU space, the border delta added to each side. */
  double area(double x0, double y0, double x1, double y1) {
    return (x1 - x0 + d) * (y1 - y0 + d);
  }

  /**
   * Appends to {@code out} every anchor whose IoU with the box {@code (x0, y0, x1, y1)} (IoU-space
   * corners, see the class comment) is positive, with that IoU, shape by shape. Anchors that cannot
   * reach {@code minIou} may be left out; {@code minIou = 0} keeps every overlapping anchor.
   */
  void overlaps(double x0, double y0, double x1, double y1, double minIou, SparseIous out) {
    double area = area(x0, y0, x1, y1);
    for (Shape shape : shapes) {
      scan(shape, x0, y0, x1, y1, area, minIou, out);
    }
  }

  private void scan(
      Shape t,
      double gx0,
      double gy0,
      double gx1,
      double gy1,
      double gArea,
      double minIou,
      SparseIous out) {
    // Least overlap per axis an anchor needs: > 0 without a bound (plus the border delta).
    double needX = -SEARCH_SLACK;
    double needY = -SEARCH_SLACK;
    if (minIou > 0) {
      double gw = gx1 - gx0 + d;
      double gh = gy1 - gy0 + d;
      double maxW = Math.min(gw, t.maxW);
      double maxH = Math.min(gh, t.maxH);
      if (maxW > 0 && maxH > 0) {
        double needInter = minIou * PRUNE_MARGIN * Math.max(gArea, t.minArea);
        needX = needInter / maxH - SEARCH_SLACK;
        needY = needInter / maxW - SEARCH_SLACK;
        if (needX > maxW || needY > maxH) {
          return;
        }
      }
    }
    int r0 = firstAbove(t.rowHi, gy0 + needY - d);
    int r1 = lastBelow(t.rowLo, gy1 - needY + d);
    int c0 = firstAbove(t.colHi, gx0 + needX - d);
    int c1 = lastBelow(t.colLo, gx1 - needX + d);
    if (r0 > r1 || c0 > c1) {
      return;
    }
    out.ensureRoom((r1 - r0 + 1) * (c1 - c0 + 1));
    int used = out.size;
    int[] rowAnchor = out.anchor;
    double[] rowIou = out.iou;
    double[] x0 = ax0;
    double[] y0 = ay0;
    double[] x1 = ax1;
    double[] y1 = ay1;
    double[] area = aArea;
    int dd = d;
    int stride = t.boxesPerCell;
    for (int r = r0; r <= r1; r++) {
      int a = t.first + (r * t.width + c0) * stride;
      for (int c = c0; c <= c1; c++, a += stride) {
        double w = Math.min(gx1, x1[a]) - Math.max(gx0, x0[a]) + dd;
        double h = Math.min(gy1, y1[a]) - Math.max(gy0, y0[a]) + dd;
        if (w <= 0 || h <= 0) {
          continue;
        }
        double inter = w * h;
        double union = gArea + area[a] - inter;
        if (!(union > 0)) {
          continue;
        }
        rowAnchor[used] = a;
        rowIou[used] = inter / union;
        used++;
      }
    }
    out.size = used;
  }

  /** First index whose value is {@code > t} in a non-decreasing array (length if none). */
  private static int firstAbove(double[] sorted, double t) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] > t) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Last index whose value is {@code < t} in a non-decreasing array (−1 if none). */
  private static int lastBelow(double[] sorted, double t) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo - 1;
  }

  /**
   * One box shape of one layer: its anchors' extents per feature-map row and column, made monotone
   * (an envelope) so the rows and columns that can reach a box are found by binary search, plus the
   * smallest area and largest sides of its anchors for the IoU bound.
   */
  private static final class Shape {
    final int first;
    final int width;
    final int boxesPerCell;
    final double[] rowLo;
    final double[] rowHi;
    final double[] colLo;
    final double[] colHi;
    double minArea = Double.POSITIVE_INFINITY;
    double maxW = Double.NEGATIVE_INFINITY;
    double maxH = Double.NEGATIVE_INFINITY;

    Shape(AnchorLayer layer, int k, AnchorIndex index) {
      int fh = layer.featureMapSize().height();
      width = layer.featureMapSize().width();
      boxesPerCell = layer.boxesPerCell();
      first = layer.firstAnchor() + k;
      rowLo = filled(fh, Double.POSITIVE_INFINITY);
      rowHi = filled(fh, Double.NEGATIVE_INFINITY);
      colLo = filled(width, Double.POSITIVE_INFINITY);
      colHi = filled(width, Double.NEGATIVE_INFINITY);
      for (int r = 0; r < fh; r++) {
        for (int c = 0; c < width; c++) {
          int a = layer.anchorIndex(r, c, k);
          rowLo[r] = Math.min(rowLo[r], index.ay0[a]);
          rowHi[r] = Math.max(rowHi[r], index.ay1[a]);
          colLo[c] = Math.min(colLo[c], index.ax0[a]);
          colHi[c] = Math.max(colHi[c], index.ax1[a]);
          minArea = Math.min(minArea, index.aArea[a]);
          maxW = Math.max(maxW, index.ax1[a] - index.ax0[a] + index.d);
          maxH = Math.max(maxH, index.ay1[a] - index.ay0[a] + index.d);
        }
      }
      envelope(rowLo, rowHi);
      envelope(colLo, colHi);
    }

    /** lo becomes a suffix minimum, hi a prefix maximum: both non-decreasing, both wider. */
    private static void envelope(double[] lo, double[] hi) {
      for (int i = lo.length - 2; i >= 0; i--) {
        lo[i] = Math.min(lo[i], lo[i + 1]);
      }
      for (int i = 1; i < hi.length; i++) {
        hi[i] = Math.max(hi[i], hi[i - 1]);
      }
    }

    private static double[] filled(int len, double v) {
      double[] out = new double[len];
      Arrays.fill(out, v);
      return out;
    }
  }
}
