package org.grievance.ssd.eval;

import java.util.Objects;
import org.grievance.ssd.box.BoxChecks;

/**
 * One detection in corner coordinates (absolute pixels of the original image).
 *
 * @param classId object class, {@code 1..n}
 * @param score confidence; higher is more confident
 */
public record ScoredDetection(
    String imageId, int classId, double score, double xmin, double ymin, double xmax, double ymax) {

  public ScoredDetection {
    Objects.requireNonNull(imageId, "imageId");
    BoxChecks.requireClassId(classId, "detection", imageId);
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException(
          "detection score must be finite but is " + score + " (image " + imageId + ")");
    }
    BoxChecks.requireFiniteCorners(xmin, ymin, xmax, ymax, "detection", imageId);
  }
}
