package org.grievance.ssd.infer;

/**
 * A rectangle of an image that is detected on its own: columns {@code [x, x + width)} and rows
 * {@code [y, y + height)}, in the image's pixels.
 *
 * @param x left column, {@code >= 0}
 * @param y top row, {@code >= 0}
 * @param width columns, {@code >= 1}
 * @param height rows, {@code >= 1}
 */
public record Tile(int x, int y, int width, int height) {
  /** Validates the corner and the size. */
  public Tile {
    if (x < 0 || y < 0) {
      throw new IllegalArgumentException("tile corner must be >= 0, got x=" + x + ", y=" + y);
    }
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "tile size must be positive, got " + width + "x" + height + " (WxH)");
    }
  }

  /** The whole {@code height × width} image as one tile: the full-image pass. */
  public static Tile whole(int height, int width) {
    return new Tile(0, 0, width, height);
  }

  /** One past the right column. */
  public int right() {
    return x + width;
  }

  /** One past the bottom row. */
  public int bottom() {
    return y + height;
  }
}
