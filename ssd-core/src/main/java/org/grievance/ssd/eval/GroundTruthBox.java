package org.grievance.ssd.eval;

import java.util.Objects;

/**
 * One ground-truth object in corner coordinates (absolute pixels).
 *
 * <p>{@code difficult} is used by the Pascal VOC evaluator (a detection whose best match is a
 * difficult box is neither a true nor a false positive, and difficult boxes do not count as
 * positives). {@code crowd} is used by the COCO evaluator. For VOC-style data scored with COCO the
 * caller maps difficult boxes to crowd boxes. {@code area} is the COCO "area" field that decides
 * the small/medium/large ranges; {@code NaN} means the box area {@code (xmax-xmin)·(ymax-ymin)}.
 *
 * @param classId object class, {@code 1..n} (0 is background)
 */
public record GroundTruthBox(
    String imageId,
    int classId,
    double xmin,
    double ymin,
    double xmax,
    double ymax,
    boolean difficult,
    boolean crowd,
    double area) {

  public GroundTruthBox {
    Objects.requireNonNull(imageId, "imageId");
    if (classId < 1) {
      throw new IllegalArgumentException(
          "ground truth classId must be >= 1 but is " + classId + " (image " + imageId + ")");
    }
    if (!Double.isFinite(xmin)
        || !Double.isFinite(ymin)
        || !Double.isFinite(xmax)
        || !Double.isFinite(ymax)) {
      throw new IllegalArgumentException(
          "ground truth box of image "
              + imageId
              + " has a non-finite coordinate: "
              + xmin
              + ", "
              + ymin
              + ", "
              + xmax
              + ", "
              + ymax);
    }
    if (Double.isInfinite(area) || area < 0) {
      throw new IllegalArgumentException(
          "ground truth area must be >= 0 or NaN but is " + area + " (image " + imageId + ")");
    }
  }

  /** A plain box: not difficult, not crowd, area derived from the box. */
  public static GroundTruthBox of(
      String imageId, int classId, double xmin, double ymin, double xmax, double ymax) {
    return new GroundTruthBox(imageId, classId, xmin, ymin, xmax, ymax, false, false, Double.NaN);
  }
}
