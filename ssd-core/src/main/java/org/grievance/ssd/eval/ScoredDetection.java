package org.grievance.ssd.eval;

import java.util.Objects;

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
    if (classId < 1) {
      throw new IllegalArgumentException(
          "detection classId must be >= 1 but is " + classId + " (image " + imageId + ")");
    }
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException(
          "detection score must be finite but is " + score + " (image " + imageId + ")");
    }
    if (!Double.isFinite(xmin)
        || !Double.isFinite(ymin)
        || !Double.isFinite(xmax)
        || !Double.isFinite(ymax)) {
      throw new IllegalArgumentException(
          "detection box of image "
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
}
