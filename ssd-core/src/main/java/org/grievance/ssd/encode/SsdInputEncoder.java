package org.grievance.ssd.encode;

import java.util.Arrays;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.anchor.AnchorLayer;
import org.grievance.ssd.anchor.Anchors;
import org.grievance.ssd.box.BoxFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the ground-truth boxes of one image into per-anchor training targets, with the reference's
 * matching: greedy bipartite matching first (every box gets its best free anchor), then, for {@link
 * MatchingType#MULTI}, every other anchor whose best IoU is {@code >= posIouThreshold}; unmatched
 * anchors whose best IoU is {@code >= negIouLimit} become neutral, the rest background. Offsets are
 * encoded per the anchors' {@code coords} with the variances.
 *
 * <p>Differences from the reference, all corrections of its quirks:
 *
 * <ul>
 *   <li>IoU applies the border delta d to the intersection too (see {@link
 *       org.grievance.ssd.box.Boxes}); with d ≠ 0 the IoU is taken in pixels between the box's own
 *       corners and the anchors (the reference widens the box by d through its centroid round trip
 *       and, when normalising, mixes pixels with image fractions).
 *   <li>The ground-truth width {@code xmax − xmin + d} is computed in pixels and then normalised;
 *       the reference adds d after normalising.
 *   <li>A box with no overlap with the image is rejected or dropped ({@link OutsideBoxPolicy}); in
 *       bipartite matching a box left without any overlapping free anchor stays unmatched. The
 *       reference instead re-matches box 0 to anchor 0 once every remaining IoU is zero.
 * </ul>
 *
 * With {@code border_pixels = half} and boxes inside the image the output equals the reference's.
 *
 * <p>Speed: anchor corners and areas are precomputed; for each box only the anchor rows and columns
 * whose extent can reach it are visited, narrowed further to those that can reach an IoU that
 * matters while pruning cannot change the bipartite choice; per-box best anchors are kept and
 * recomputed only when another box takes them. Thread-safe: scratch buffers are per thread and
 * reused, so {@link #encodeInto} allocates nothing once warm (one encoder can serve every loader
 * thread).
 */
public final class SsdInputEncoder {
  private static final Logger LOG = LoggerFactory.getLogger(SsdInputEncoder.class);

  /** Widens the candidate search so that rounding can never drop an overlapping anchor. */
  private static final double SEARCH_SLACK = 1e-7;

  /** Pruning keeps every anchor whose IoU could be within this factor of the cutoff. */
  private static final double PRUNE_MARGIN = 1 - 1e-9;

  private final EncoderConfig config;
  private final BoxFormat coords;
  private final boolean normalize;
  private final int imageHeight;
  private final int imageWidth;
  private final int n;
  private final int d;
  private final double v0;
  private final double v1;
  private final double v2;
  private final double v3;

  /** Anchors in the configured format and units: the reference for the offsets. */
  private final double[] anchorBoxes;

  /** Anchor corners and areas in the IoU space (see the class comment), structure of arrays. */
  private final double[] ax0;

  private final double[] ay0;
  private final double[] ax1;
  private final double[] ay1;
  private final double[] aArea;
  private final AnchorType[] types;

  /** IoUs below this can change nothing but a bipartite argmax. */
  private final double cutoff;

  private final ThreadLocal<Scratch> scratch;

  public SsdInputEncoder(Anchors anchors, EncoderConfig config) {
    this.config = config;
    AnchorConfig ac = anchors.config();
    this.coords = ac.coords();
    this.normalize = ac.normalizeCoords();
    this.imageHeight = ac.imageHeight();
    this.imageWidth = ac.imageWidth();
    this.n = anchors.count();
    this.d = config.borderPixels().delta();
    double[] v = anchors.variances();
    this.v0 = v[0];
    this.v1 = v[1];
    this.v2 = v[2];
    this.v3 = v[3];
    this.anchorBoxes = anchors.boxes();
    double[] corners = anchors.corners();
    // With d = 0 the IoU is scale-free: use the reference's own space so values match it exactly.
    boolean toPixels = d != 0 && normalize;
    ax0 = new double[n];
    ay0 = new double[n];
    ax1 = new double[n];
    ay1 = new double[n];
    aArea = new double[n];
    for (int a = 0; a < n; a++) {
      double sx = toPixels ? imageWidth : 1;
      double sy = toPixels ? imageHeight : 1;
      ax0[a] = corners[4 * a] * sx;
      ay0[a] = corners[4 * a + 1] * sy;
      ax1[a] = corners[4 * a + 2] * sx;
      ay1[a] = corners[4 * a + 3] * sy;
      aArea[a] = (ax1[a] - ax0[a] + d) * (ay1[a] - ay0[a] + d);
    }
    java.util.List<AnchorType> list = new java.util.ArrayList<>();
    for (AnchorLayer layer : anchors.layers()) {
      for (int k = 0; k < layer.boxesPerCell(); k++) {
        list.add(new AnchorType(layer, k, ax0, ay0, ax1, ay1, aArea, d));
      }
    }
    types = list.toArray(new AnchorType[0]);
    cutoff =
        config.matchingType() == MatchingType.MULTI
            ? Math.min(config.posIouThreshold(), config.negIouLimit())
            : config.negIouLimit();
    scratch = ThreadLocal.withInitial(() -> new Scratch(n));
  }

  public EncoderConfig config() {
    return config;
  }

  /** Number of anchors N, the length of the class output. */
  public int anchorCount() {
    return n;
  }

  /** Height of the model input (pixels) that the anchors, and so the labels, refer to. */
  public int imageHeight() {
    return imageHeight;
  }

  /** Width of the model input (pixels) that the anchors, and so the labels, refer to. */
  public int imageWidth() {
    return imageWidth;
  }

  /**
   * Encodes one image's labels: rows of 5 {@code (class_id, xmin, ymin, xmax, ymax)} in absolute
   * input-image pixels. An empty array gives all background.
   *
   * @throws InvalidBoxException for a non-finite value, a class id outside {@code 1..nClasses}, a
   *     degenerate box, or (with {@link OutsideBoxPolicy#REJECT}) a box outside the image
   */
  public EncodedTargets encode(double[] labels) {
    int[] classes = new int[n];
    float[] offsets = new float[4 * n];
    int positives = encodeInto(labels, classes, 0, offsets, 0);
    int neutrals = 0;
    for (int c : classes) {
      if (c == EncodedTargets.NEUTRAL) {
        neutrals++;
      }
    }
    return new EncodedTargets(classes, offsets, positives, neutrals);
  }

  /**
   * Encodes into caller-owned buffers (e.g. one slot of a training batch): {@code N} class ids at
   * {@code classOut[classOffset..]} and {@code 4·N} offsets at {@code offsetsOut[offsetsOffset..]};
   * both ranges are fully overwritten. Labels are validated before anything is written.
   *
   * @return the number of positive anchors
   */
  public int encodeInto(
      double[] labels, int[] classOut, int classOffset, float[] offsetsOut, int offsetsOffset) {
    if (labels.length % 5 != 0) {
      throw new IllegalArgumentException(
          "labels must hold 5 numbers per box (class_id, xmin, ymin, xmax, ymax), but has length "
              + labels.length);
    }
    if (classOffset < 0 || classOffset + n > classOut.length) {
      throw new IllegalArgumentException(
          "classOut has no room for " + n + " anchors at offset " + classOffset);
    }
    if (offsetsOffset < 0 || offsetsOffset + 4 * n > offsetsOut.length) {
      throw new IllegalArgumentException(
          "offsetsOut has no room for " + 4 * n + " values at offset " + offsetsOffset);
    }
    Scratch s = scratch.get();
    int k = validate(labels, s);
    Arrays.fill(classOut, classOffset, classOffset + n, config.backgroundId());
    Arrays.fill(offsetsOut, offsetsOffset, offsetsOffset + 4 * n, 0f);
    if (k == 0) {
      return 0;
    }
    prepareBoxes(labels, k, s);
    computeOverlaps(k, s);
    int positives = matchBipartite(k, s, classOut, classOffset, offsetsOut, offsetsOffset);
    boolean multi = config.matchingType() == MatchingType.MULTI;
    double pos = config.posIouThreshold();
    double neg = config.negIouLimit();
    for (int t = 0; t < s.touchedCount; t++) {
      int a = s.touched[t];
      if (s.taken[a] < 0) {
        double best = s.bestIou[a];
        if (multi && best >= pos) {
          writePositive(a, s.bestGt[a], s, classOut, classOffset, offsetsOut, offsetsOffset);
          positives++;
        } else if (best >= neg) {
          classOut[classOffset + a] = EncodedTargets.NEUTRAL;
        }
      }
      s.bestIou[a] = 0;
      s.taken[a] = -1;
    }
    s.touchedCount = 0;
    return positives;
  }

  /** Checks every row; collects the rows to encode in {@code s.kept}; returns their number. */
  private int validate(double[] labels, Scratch s) {
    int rows = labels.length / 5;
    s.ensureBoxes(rows);
    int k = 0;
    for (int i = 0; i < rows; i++) {
      int o = 5 * i;
      for (int j = 0; j < 5; j++) {
        if (!Double.isFinite(labels[o + j])) {
          throw new InvalidBoxException(i, labels, o, "values must be finite");
        }
      }
      double c = labels[o];
      if (c != Math.rint(c) || c < 1 || c > config.nClasses()) {
        throw new InvalidBoxException(
            i, labels, o, "class id must be an integer in 1.." + config.nClasses());
      }
      double x0 = labels[o + 1];
      double y0 = labels[o + 2];
      double x1 = labels[o + 3];
      double y1 = labels[o + 4];
      if (x1 - x0 + Math.min(d, 0) <= 0 || y1 - y0 + Math.min(d, 0) <= 0) {
        throw new InvalidBoxException(
            i, labels, o, "degenerate box: needs xmax > xmin and ymax > ymin" + borderNote());
      }
      if (!(Math.min(x1, imageWidth) > Math.max(x0, 0))
          || !(Math.min(y1, imageHeight) > Math.max(y0, 0))) {
        String where = "box does not overlap the " + imageWidth + "x" + imageHeight + " image";
        if (config.outsideBoxPolicy() == OutsideBoxPolicy.REJECT) {
          throw new InvalidBoxException(i, labels, o, where);
        }
        LOG.warn("dropping {}", new InvalidBoxException(i, labels, o, where).getMessage());
        continue;
      }
      s.kept[k++] = i;
    }
    return k;
  }

  private String borderNote() {
    return d < 0 ? " by more than 1 pixel (border_pixels exclude)" : "";
  }

  /** Target coordinates (configured format and units) and IoU-space corners of each kept box. */
  private void prepareBoxes(double[] labels, int k, Scratch s) {
    double sx = normalize ? imageWidth : 1;
    double sy = normalize ? imageHeight : 1;
    for (int g = 0; g < k; g++) {
      int o = 5 * s.kept[g];
      s.gtClass[g] = (int) labels[o];
      double x0 = labels[o + 1];
      double y0 = labels[o + 2];
      double x1 = labels[o + 3];
      double y1 = labels[o + 4];
      double nx0 = normalize ? x0 / sx : x0;
      double ny0 = normalize ? y0 / sy : y0;
      double nx1 = normalize ? x1 / sx : x1;
      double ny1 = normalize ? y1 / sy : y1;
      double[] t = s.target;
      int to = 4 * g;
      switch (coords) {
        case CENTROIDS -> {
          t[to] = (nx0 + nx1) / 2;
          t[to + 1] = (ny0 + ny1) / 2;
          // d = 0: the same arithmetic as the reference; otherwise d is a pixel count.
          t[to + 2] = d == 0 ? nx1 - nx0 : (x1 - x0 + d) / sx;
          t[to + 3] = d == 0 ? ny1 - ny0 : (y1 - y0 + d) / sy;
        }
        case CORNERS -> {
          t[to] = nx0;
          t[to + 1] = ny0;
          t[to + 2] = nx1;
          t[to + 3] = ny1;
        }
        case MINMAX -> {
          t[to] = nx0;
          t[to + 1] = nx1;
          t[to + 2] = ny0;
          t[to + 3] = ny1;
        }
        default -> throw new IllegalStateException("unreachable");
      }
      if (d != 0) {
        s.gx0[g] = x0;
        s.gy0[g] = y0;
        s.gx1[g] = x1;
        s.gy1[g] = y1;
      } else if (coords == BoxFormat.CENTROIDS) {
        // The reference's IoU converts its centroid targets back to corners.
        s.gx0[g] = t[to] - t[to + 2] / 2;
        s.gy0[g] = t[to + 1] - t[to + 3] / 2;
        s.gx1[g] = t[to] + t[to + 2] / 2;
        s.gy1[g] = t[to + 1] + t[to + 3] / 2;
      } else {
        s.gx0[g] = nx0;
        s.gy0[g] = ny0;
        s.gx1[g] = nx1;
        s.gy1[g] = ny1;
      }
      s.gArea[g] = (s.gx1[g] - s.gx0[g] + d) * (s.gy1[g] - s.gy0[g] + d);
    }
  }

  /**
   * IoU of every box with the anchors that can reach it. Kept per box: a sparse row of its positive
   * IoUs and its best anchor; per anchor: its best box.
   *
   * <p>First pass, pruned: an anchor can only reach {@code IoU >= cutoff} if its intersection with
   * the box is at least {@code cutoff · max(box area, anchor area)}, which bounds how far it may
   * stick out on each axis; per anchor shape only those rows and columns are visited. Anchors left
   * out have IoU below the cutoff, so they can neither become positive or neutral nor win the
   * bipartite argmax while the box's best anchor is at or above the cutoff. Otherwise (a small or
   * thin box, or one whose best anchors were taken, see {@link #rescan}) the row is built in full.
   */
  private void computeOverlaps(int k, Scratch s) {
    s.used = 0;
    for (int g = 0; g < k; g++) {
      s.matched[g] = false;
      s.rowStart[g] = s.used;
      s.gtBestIou[g] = 0;
      s.gtBestAnchor[g] = -1;
      for (AnchorType t : types) {
        scanType(t, g, s, true);
      }
      s.rowEnd[g] = s.used;
      s.pruned[g] = true;
      if (!(s.gtBestIou[g] >= cutoff)) {
        fullRow(g, s);
      }
    }
  }

  /** Rebuilds box g's row at the end of the pool without pruning. */
  private void fullRow(int g, Scratch s) {
    s.rowStart[g] = s.used;
    s.gtBestIou[g] = 0;
    s.gtBestAnchor[g] = -1;
    for (AnchorType t : types) {
      scanType(t, g, s, false);
    }
    s.rowEnd[g] = s.used;
    s.pruned[g] = false;
  }

  /** Appends the positive IoUs of box g with the anchors of one shape that can reach it. */
  private void scanType(AnchorType t, int g, Scratch s, boolean prune) {
    double gx0 = s.gx0[g];
    double gy0 = s.gy0[g];
    double gx1 = s.gx1[g];
    double gy1 = s.gy1[g];
    double gArea = s.gArea[g];
    // Least overlap per axis an anchor needs: > 0 without pruning (plus the border delta).
    double needX = -SEARCH_SLACK;
    double needY = -SEARCH_SLACK;
    if (prune) {
      double gw = gx1 - gx0 + d;
      double gh = gy1 - gy0 + d;
      double maxW = Math.min(gw, t.maxW);
      double maxH = Math.min(gh, t.maxH);
      if (maxW > 0 && maxH > 0) {
        double needInter = cutoff * PRUNE_MARGIN * Math.max(gArea, t.minArea);
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
    s.ensureRow((r1 - r0 + 1) * (c1 - c0 + 1));
    double best = s.gtBestIou[g];
    int bestAnchor = s.gtBestAnchor[g];
    int used = s.used;
    int touchedCount = s.touchedCount;
    int[] rowAnchor = s.rowAnchor;
    double[] rowIou = s.rowIou;
    double[] anchorBest = s.bestIou;
    int[] anchorBestGt = s.bestGt;
    int[] touched = s.touched;
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
        double iou = inter / union;
        rowAnchor[used] = a;
        rowIou[used] = iou;
        used++;
        if (iou > best || (iou == best && a < bestAnchor)) {
          best = iou;
          bestAnchor = a;
        }
        double prev = anchorBest[a];
        if (iou > prev) {
          if (prev == 0) {
            touched[touchedCount++] = a;
          }
          anchorBest[a] = iou;
          anchorBestGt[a] = g;
        }
      }
    }
    s.used = used;
    s.touchedCount = touchedCount;
    s.gtBestIou[g] = best;
    s.gtBestAnchor[g] = bestAnchor;
  }

  /**
   * Greedy bipartite matching: repeatedly the box with the highest IoU to a free anchor takes it
   * (first box, then lowest anchor index, on ties). Boxes that lost their best anchor rescan their
   * own sparse row. Writes the matched anchors' targets; returns how many there are.
   */
  private int matchBipartite(
      int k, Scratch s, int[] classOut, int classOffset, float[] offsetsOut, int offsetsOffset) {
    int matches = 0;
    for (int round = 0; round < k; round++) {
      int g = -1;
      double best = 0;
      for (int i = 0; i < k; i++) {
        if (!s.matched[i] && s.gtBestIou[i] > best) {
          best = s.gtBestIou[i];
          g = i;
        }
      }
      if (g < 0) {
        break; // corrected quirk: nothing overlaps any more, leave the rest unmatched
      }
      int a = s.gtBestAnchor[g];
      s.matched[g] = true;
      s.taken[a] = g;
      writePositive(a, g, s, classOut, classOffset, offsetsOut, offsetsOffset);
      matches++;
      for (int i = 0; i < k; i++) {
        if (!s.matched[i] && s.gtBestAnchor[i] == a) {
          rescan(i, s);
        }
      }
    }
    return matches;
  }

  /** Best free anchor of box g; rebuilds its row in full if pruned anchors could now win. */
  private void rescan(int g, Scratch s) {
    bestFree(g, s);
    if (s.pruned[g] && !(s.gtBestIou[g] >= cutoff)) {
      fullRow(g, s);
      bestFree(g, s);
    }
  }

  private static void bestFree(int g, Scratch s) {
    double best = 0;
    int bestAnchor = -1;
    for (int j = s.rowStart[g]; j < s.rowEnd[g]; j++) {
      int a = s.rowAnchor[j];
      double iou = s.rowIou[j];
      if (s.taken[a] < 0 && (iou > best || (iou == best && a < bestAnchor))) {
        best = iou;
        bestAnchor = a;
      }
    }
    s.gtBestIou[g] = best;
    s.gtBestAnchor[g] = bestAnchor;
  }

  private void writePositive(
      int a,
      int g,
      Scratch s,
      int[] classOut,
      int classOffset,
      float[] offsetsOut,
      int offsetsOffset) {
    classOut[classOffset + a] = s.gtClass[g];
    double[] t = s.target;
    int to = 4 * g;
    int ao = 4 * a;
    int oo = offsetsOffset + 4 * a;
    double[] b = anchorBoxes;
    switch (coords) {
      case CENTROIDS -> {
        offsetsOut[oo] = (float) ((t[to] - b[ao]) / (b[ao + 2] * v0));
        offsetsOut[oo + 1] = (float) ((t[to + 1] - b[ao + 1]) / (b[ao + 3] * v1));
        offsetsOut[oo + 2] = (float) (Math.log(t[to + 2] / b[ao + 2]) / v2);
        offsetsOut[oo + 3] = (float) (Math.log(t[to + 3] / b[ao + 3]) / v3);
      }
      case CORNERS -> {
        double w = b[ao + 2] - b[ao];
        double h = b[ao + 3] - b[ao + 1];
        offsetsOut[oo] = (float) ((t[to] - b[ao]) / w / v0);
        offsetsOut[oo + 1] = (float) ((t[to + 1] - b[ao + 1]) / h / v1);
        offsetsOut[oo + 2] = (float) ((t[to + 2] - b[ao + 2]) / w / v2);
        offsetsOut[oo + 3] = (float) ((t[to + 3] - b[ao + 3]) / h / v3);
      }
      case MINMAX -> {
        double w = b[ao + 1] - b[ao];
        double h = b[ao + 3] - b[ao + 2];
        offsetsOut[oo] = (float) ((t[to] - b[ao]) / w / v0);
        offsetsOut[oo + 1] = (float) ((t[to + 1] - b[ao + 1]) / w / v1);
        offsetsOut[oo + 2] = (float) ((t[to + 2] - b[ao + 2]) / h / v2);
        offsetsOut[oo + 3] = (float) ((t[to + 3] - b[ao + 3]) / h / v3);
      }
      default -> throw new IllegalStateException("unreachable");
    }
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
   * smallest area and largest sides of its anchors for pruning.
   */
  private static final class AnchorType {
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

    AnchorType(
        AnchorLayer layer,
        int k,
        double[] x0,
        double[] y0,
        double[] x1,
        double[] y1,
        double[] area,
        int d) {
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
          rowLo[r] = Math.min(rowLo[r], y0[a]);
          rowHi[r] = Math.max(rowHi[r], y1[a]);
          colLo[c] = Math.min(colLo[c], x0[a]);
          colHi[c] = Math.max(colHi[c], x1[a]);
          minArea = Math.min(minArea, area[a]);
          maxW = Math.max(maxW, x1[a] - x0[a] + d);
          maxH = Math.max(maxH, y1[a] - y0[a] + d);
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

  /** Reusable per-thread working memory. Dense per-anchor arrays are reset via the touched list. */
  private static final class Scratch {
    final double[] bestIou;
    final int[] bestGt;
    final int[] taken;
    final int[] touched;
    int touchedCount;
    int[] kept = new int[0];
    int[] gtClass = new int[0];
    double[] target = new double[0];
    double[] gx0 = new double[0];
    double[] gy0 = new double[0];
    double[] gx1 = new double[0];
    double[] gy1 = new double[0];
    double[] gArea = new double[0];
    double[] gtBestIou = new double[0];
    int[] gtBestAnchor = new int[0];
    boolean[] matched = new boolean[0];
    int[] rowStart = new int[0];
    int[] rowEnd = new int[0];
    boolean[] pruned = new boolean[0];
    int used;
    int[] rowAnchor = new int[1024];
    double[] rowIou = new double[1024];

    Scratch(int n) {
      bestIou = new double[n];
      bestGt = new int[n];
      taken = new int[n];
      Arrays.fill(taken, -1);
      touched = new int[n];
    }

    void ensureBoxes(int k) {
      if (kept.length >= k) {
        return;
      }
      int cap = Math.max(k, 2 * kept.length);
      kept = new int[cap];
      gtClass = new int[cap];
      target = new double[4 * cap];
      gx0 = new double[cap];
      gy0 = new double[cap];
      gx1 = new double[cap];
      gy1 = new double[cap];
      gArea = new double[cap];
      gtBestIou = new double[cap];
      gtBestAnchor = new int[cap];
      matched = new boolean[cap];
      rowStart = new int[cap];
      rowEnd = new int[cap];
      pruned = new boolean[cap];
    }

    /** Makes room for {@code more} sparse-row entries after the {@link #used} ones. */
    void ensureRow(int more) {
      if (used + more > rowAnchor.length) {
        int cap = Math.max(used + more, 2 * rowAnchor.length);
        rowAnchor = Arrays.copyOf(rowAnchor, cap);
        rowIou = Arrays.copyOf(rowIou, cap);
      }
    }
  }
}
