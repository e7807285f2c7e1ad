package org.grievance.ssd.data;

import java.util.Objects;

/**
 * One detection in the COCO results format: box {@code [x, y, w, h]} in pixels of the original
 * image, top-left corner plus size.
 *
 * @param imageId the dataset's image id (COCO ids as decimal strings)
 * @param categoryId the dataset's {@link Dataset#categoryIds() category id} of the class
 */
public record ResultRow(
    String imageId, int categoryId, double x, double y, double w, double h, double score) {

  public ResultRow {
    Objects.requireNonNull(imageId, "imageId");
    if (imageId.isBlank()) {
      throw new IllegalArgumentException("imageId must not be blank");
    }
    if (!Double.isFinite(x) || !Double.isFinite(y)) {
      throw new IllegalArgumentException("x, y must be finite, got " + x + ", " + y);
    }
    if (!(w >= 0) || !(h >= 0) || Double.isInfinite(w) || Double.isInfinite(h)) {
      throw new IllegalArgumentException("w, h must be finite and >= 0, got " + w + ", " + h);
    }
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException("score must be finite, got " + score);
    }
  }

  /** A row from corner coordinates. */
  public static ResultRow ofCorners(
      String imageId,
      int categoryId,
      double xmin,
      double ymin,
      double xmax,
      double ymax,
      double score) {
    return new ResultRow(imageId, categoryId, xmin, ymin, xmax - xmin, ymax - ymin, score);
  }

  public double xmax() {
    return x + w;
  }

  public double ymax() {
    return y + h;
  }
}
