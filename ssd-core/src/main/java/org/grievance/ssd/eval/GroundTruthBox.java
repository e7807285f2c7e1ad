package org.grievance.ssd.eval;

import java.util.Objects;
import org.grievance.ssd.box.BoxChecks;

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
    BoxChecks.requireClassId(classId, "ground truth", imageId);
    BoxChecks.requireFiniteCorners(xmin, ymin, xmax, ymax, "ground truth", imageId);
    BoxChecks.requireArea(area, "ground truth", imageId);
  }

  /** A plain box: not difficult, not crowd, area derived from the box. */
  public static GroundTruthBox of(
      String imageId, int classId, double xmin, double ymin, double xmax, double ymax) {
    return new GroundTruthBox(imageId, classId, xmin, ymin, xmax, ymax, false, false, Double.NaN);
  }
}
