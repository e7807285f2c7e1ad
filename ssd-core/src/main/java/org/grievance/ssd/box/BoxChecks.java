package org.grievance.ssd.box;

/**
 * The checks of a labelled box, shared by the records that carry one (annotated objects,
 * detections, and the evaluators' ground truth and detections): an object class id, finite corners,
 * and an optional source area. Degenerate boxes pass on purpose: each reader or consumer decides
 * what to do with them.
 *
 * <p>Every check throws {@link IllegalArgumentException}. The plain form names the field; the form
 * with {@code what} and {@code imageId} names the kind of box and its image, for records that know
 * which image they belong to.
 */
public final class BoxChecks {
  private BoxChecks() {}

  /** An object's class id is {@code >= 1}: 0 is the background. */
  public static void requireClassId(int classId) {
    if (classId < 1) {
      throw new IllegalArgumentException("classId must be >= 1 (0 is background), got " + classId);
    }
  }

  /** {@link #requireClassId(int)}, naming the kind of box and its image. */
  public static void requireClassId(int classId, String what, String imageId) {
    if (classId < 1) {
      throw new IllegalArgumentException(
          what + " classId must be >= 1 but is " + classId + " (image " + imageId + ")");
    }
  }

  /** Every corner is finite; the message names the first that is not. */
  public static void requireFiniteCorners(double xmin, double ymin, double xmax, double ymax) {
    requireFinite("xmin", xmin);
    requireFinite("ymin", ymin);
    requireFinite("xmax", xmax);
    requireFinite("ymax", ymax);
  }

  /** Every corner is finite; the message names the kind of box, its image and all four corners. */
  public static void requireFiniteCorners(
      double xmin, double ymin, double xmax, double ymax, String what, String imageId) {
    if (!Double.isFinite(xmin)
        || !Double.isFinite(ymin)
        || !Double.isFinite(xmax)
        || !Double.isFinite(ymax)) {
      throw new IllegalArgumentException(
          what
              + " box of image "
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
  }

  /**
   * An area given by the source (COCO {@code area}) is finite and {@code >= 0}, or NaN for none.
   */
  public static void requireArea(double area) {
    if (!isArea(area)) {
      throw new IllegalArgumentException("area must be NaN or a finite value >= 0, got " + area);
    }
  }

  /** {@link #requireArea(double)}, naming the kind of box and its image. */
  public static void requireArea(double area, String what, String imageId) {
    if (!isArea(area)) {
      throw new IllegalArgumentException(
          what + " area must be >= 0 or NaN but is " + area + " (image " + imageId + ")");
    }
  }

  private static boolean isArea(double area) {
    return Double.isNaN(area) || (Double.isFinite(area) && area >= 0);
  }

  private static void requireFinite(String field, double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(field + " must be finite, got " + v);
    }
  }
}
