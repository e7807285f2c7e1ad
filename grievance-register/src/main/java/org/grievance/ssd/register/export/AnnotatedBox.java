package org.grievance.ssd.register.export;

import java.util.Objects;

/**
 * One box an official drew: class name and corners in the pixels of the stored upright photo
 * (0-based edges, as the register's detections).
 */
public record AnnotatedBox(String className, double xmin, double ymin, double xmax, double ymax) {
  /** Validates the fields. */
  public AnnotatedBox {
    Objects.requireNonNull(className, "className");
    if (className.isBlank()) {
      throw new IllegalArgumentException("class name must not be blank");
    }
    if (!(Double.isFinite(xmin)
        && Double.isFinite(ymin)
        && Double.isFinite(xmax)
        && Double.isFinite(ymax))) {
      throw new IllegalArgumentException("box corners must be finite numbers");
    }
    if (!(xmax > xmin && ymax > ymin)) {
      throw new IllegalArgumentException(
          "box needs xmax > xmin and ymax > ymin, got xmin="
              + xmin
              + " ymin="
              + ymin
              + " xmax="
              + xmax
              + " ymax="
              + ymax);
    }
  }
}
