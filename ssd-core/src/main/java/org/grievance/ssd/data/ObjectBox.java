package org.grievance.ssd.data;

import org.grievance.ssd.box.BoxChecks;

/**
 * One annotated object in corner coordinates (pixels, as written by the source: VOC boxes stay
 * 1-based, COCO boxes 0-based).
 *
 * <p>Degenerate boxes are representable on purpose: readers reject the ones they must, and {@link
 * DatasetProblems} reports the rest instead of failing a whole dataset.
 *
 * @param classId 1-based class id ({@code 0} is the implicit background)
 * @param difficult VOC {@code difficult} flag (neutral in VOC evaluation)
 * @param truncated VOC {@code truncated} flag
 * @param crowd COCO {@code iscrowd} flag
 * @param area area given by the source (COCO {@code area}), {@code NaN} when it gives none
 */
public record ObjectBox(
    int classId,
    double xmin,
    double ymin,
    double xmax,
    double ymax,
    boolean difficult,
    boolean truncated,
    boolean crowd,
    double area) {

  public ObjectBox {
    BoxChecks.requireClassId(classId);
    BoxChecks.requireFiniteCorners(xmin, ymin, xmax, ymax);
    BoxChecks.requireArea(area);
  }

  /** A plain box: not difficult, not truncated, not crowd, no source area. */
  public static ObjectBox of(int classId, double xmin, double ymin, double xmax, double ymax) {
    return new ObjectBox(classId, xmin, ymin, xmax, ymax, false, false, false, Double.NaN);
  }

  public double width() {
    return xmax - xmin;
  }

  public double height() {
    return ymax - ymin;
  }

  /** True when the box has no positive extent ({@code xmax <= xmin} or {@code ymax <= ymin}). */
  public boolean isDegenerate() {
    return xmax <= xmin || ymax <= ymin;
  }

  /** The four corners as {@code [xmin, ymin, xmax, ymax]} (the {@code box} package's layout). */
  public double[] corners() {
    return new double[] {xmin, ymin, xmax, ymax};
  }
}
