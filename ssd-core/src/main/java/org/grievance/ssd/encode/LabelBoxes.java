package org.grievance.ssd.encode;

import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.BoxFormat;
import org.grievance.ssd.box.Boxes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ground-truth label rows of one image, checked and prepared for matching: for each row kept,
 * its class, its target box in the anchors' format and units (what the offsets encode), and its
 * corners in the IoU space of the {@link AnchorIndex}.
 *
 * <p>One instance per thread, reused from image to image: it allocates only while its arrays grow.
 */
final class LabelBoxes {
  /** Logged under the encoder's name: the public class that drops the box. */
  private static final Logger LOG = LoggerFactory.getLogger(SsdInputEncoder.class);

  private final int nClasses;
  private final OutsideBoxPolicy outsideBoxPolicy;
  private final BoxFormat coords;
  private final boolean normalize;
  private final int imageHeight;
  private final int imageWidth;
  private final int d;

  private int[] kept = new int[0];
  private int[] classIds = new int[0];
  private double[] targets = new double[0];
  private double[] iouCorners = new double[0];

  LabelBoxes(AnchorConfig anchors, EncoderConfig config) {
    this.nClasses = config.nClasses();
    this.outsideBoxPolicy = config.outsideBoxPolicy();
    this.d = config.borderPixels().delta();
    this.coords = anchors.coords();
    this.normalize = anchors.normalizeCoords();
    this.imageHeight = anchors.imageHeight();
    this.imageWidth = anchors.imageWidth();
  }

  /**
   * Checks every row of {@code labels} (5 numbers per row, length already checked), then prepares
   * the rows that overlap the image.
   *
   * @return the number k of rows kept; box g of this call is {@code 0 <= g < k}
   * @throws InvalidBoxException for a non-finite value, a class id outside {@code 1..nClasses}, a
   *     degenerate box, or (with {@link OutsideBoxPolicy#REJECT}) a box outside the image
   */
  int read(double[] labels) {
    int k = validate(labels);
    prepare(labels, k);
    return k;
  }

  /** Class id of box g. */
  int classId(int g) {
    return classIds[g];
  }

  /** Target boxes: box g at {@code [4g..4g+3]}, in the anchors' format and units. */
  double[] targets() {
    return targets;
  }

  /** IoU-space corners {@code (xmin, ymin, xmax, ymax)}: box g at {@code [4g..4g+3]}. */
  double[] iouCorners() {
    return iouCorners;
  }

  /** Checks every row; collects the rows to keep in {@code kept}; returns their number. */
  private int validate(double[] labels) {
    int rows = labels.length / 5;
    ensureBoxes(rows);
    int k = 0;
    for (int i = 0; i < rows; i++) {
      int o = 5 * i;
      for (int j = 0; j < 5; j++) {
        if (!Double.isFinite(labels[o + j])) {
          throw new InvalidBoxException(i, labels, o, "values must be finite");
        }
      }
      double c = labels[o];
      if (c != Math.rint(c) || c < 1 || c > nClasses) {
        throw new InvalidBoxException(
            i, labels, o, "class id must be an integer in 1.." + nClasses);
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
        if (outsideBoxPolicy == OutsideBoxPolicy.REJECT) {
          throw new InvalidBoxException(i, labels, o, where);
        }
        LOG.warn("dropping {}", new InvalidBoxException(i, labels, o, where).getMessage());
        continue;
      }
      kept[k++] = i;
    }
    return k;
  }

  private String borderNote() {
    return d < 0 ? " by more than 1 pixel (border_pixels exclude)" : "";
  }

  /**
   * Class, target box and IoU-space corners of each kept row. The target is the corners in the
   * anchors' units, converted to their format; with a border delta d ≠ 0 a centroid width is {@code
   * xmax − xmin + d} taken in pixels, then normalised (the reference adds d after normalising).
   */
  private void prepare(double[] labels, int k) {
    double sx = normalize ? imageWidth : 1;
    double sy = normalize ? imageHeight : 1;
    double[] t = targets;
    double[] c = iouCorners;
    for (int g = 0; g < k; g++) {
      int o = 5 * kept[g];
      classIds[g] = (int) labels[o];
      double x0 = labels[o + 1];
      double y0 = labels[o + 2];
      double x1 = labels[o + 3];
      double y1 = labels[o + 4];
      int to = 4 * g;
      t[to] = normalize ? x0 / sx : x0;
      t[to + 1] = normalize ? y0 / sy : y0;
      t[to + 2] = normalize ? x1 / sx : x1;
      t[to + 3] = normalize ? y1 / sy : y1;
      Boxes.convert(t, to, t, to, BoxFormat.CORNERS, coords, BorderPixels.HALF);
      if (d != 0 && coords == BoxFormat.CENTROIDS) {
        t[to + 2] = (x1 - x0 + d) / sx;
        t[to + 3] = (y1 - y0 + d) / sy;
      }
      if (d != 0) {
        c[to] = x0;
        c[to + 1] = y0;
        c[to + 2] = x1;
        c[to + 3] = y1;
      } else {
        // The reference's IoU converts its targets back to corners.
        Boxes.convert(t, to, c, to, coords, BoxFormat.CORNERS, BorderPixels.HALF);
      }
    }
  }

  private void ensureBoxes(int rows) {
    if (kept.length >= rows) {
      return;
    }
    int cap = Math.max(rows, 2 * kept.length);
    kept = new int[cap];
    classIds = new int[cap];
    targets = new double[4 * cap];
    iouCorners = new double[4 * cap];
  }
}
