package org.grievance.ssd.box;

/**
 * The three box layouts of the reference implementation. Every box is four consecutive numbers in a
 * flat array; the format says what they mean.
 */
public enum BoxFormat {
  /** {@code (cx, cy, w, h)}: what the anchors and the offset encoding use by default. */
  CENTROIDS,
  /** {@code (xmin, ymin, xmax, ymax)}: labels, detections and IoU work in this one. */
  CORNERS,
  /** {@code (xmin, xmax, ymin, ymax)}: note the order differs from corners. */
  MINMAX;

  /**
   * Parses the reference's lower-case names ({@code centroids}, {@code corners}, {@code minmax}).
   */
  public static BoxFormat parse(String name) {
    for (BoxFormat f : values()) {
      if (f.name().equalsIgnoreCase(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown box format '" + name + "': expected centroids, corners or minmax");
  }
}
