package org.grievance.ssd.image;

/**
 * The eight EXIF orientations: how the stored pixels must be turned to show the photo upright.
 *
 * <p>Phones store the sensor's pixels as they come off the sensor and record the way the phone was
 * held in this tag, so a portrait photo is stored sideways. Everything the toolkit shows or detects
 * is in the <em>displayed</em> frame (the tag applied); {@link #toDisplayed} is the one place that
 * turns stored pixels upright and {@link #displayedPoint} the one place that maps a stored
 * coordinate.
 */
public enum Orientation {
  /** 1: stored upright. */
  NORMAL(1),
  /** 2: mirrored left to right. */
  MIRROR_HORIZONTAL(2),
  /** 3: upside down. */
  ROTATE_180(3),
  /** 4: mirrored top to bottom. */
  MIRROR_VERTICAL(4),
  /** 5: mirrored along the main diagonal (displayed (x, y) is stored (y, x)). */
  TRANSPOSE(5),
  /** 6: must be turned 90° clockwise to show upright (a phone held in portrait). */
  ROTATE_90_CW(6),
  /** 7: mirrored along the anti-diagonal. */
  TRANSVERSE(7),
  /** 8: must be turned 90° counter-clockwise to show upright. */
  ROTATE_90_CCW(8);

  private final int exifValue;

  Orientation(int exifValue) {
    this.exifValue = exifValue;
  }

  /** The value of the EXIF Orientation tag (1–8). */
  public int exifValue() {
    return exifValue;
  }

  /**
   * The orientation of an EXIF tag value; values outside 1–8 (seen in the wild from broken writers)
   * mean {@link #NORMAL}, as every viewer treats them.
   */
  public static Orientation ofExif(int value) {
    for (Orientation o : values()) {
      if (o.exifValue == value) {
        return o;
      }
    }
    return NORMAL;
  }

  /** Whether the displayed image has the stored image's width as its height (values 5–8). */
  public boolean swapsAxes() {
    return exifValue >= 5;
  }

  /** The displayed size of a stored image of {@code storedHeight} x {@code storedWidth}. */
  public ImageFiles.Size displayedSize(int storedHeight, int storedWidth) {
    return swapsAxes()
        ? new ImageFiles.Size(storedWidth, storedHeight)
        : new ImageFiles.Size(storedHeight, storedWidth);
  }

  /**
   * Where stored pixel ({@code x}, {@code y}) of an image of {@code storedHeight} x {@code
   * storedWidth} lands in the displayed image, as {@code {x, y}}.
   */
  public int[] displayedPoint(int x, int y, int storedHeight, int storedWidth) {
    int w = storedWidth - 1;
    int h = storedHeight - 1;
    return switch (this) {
      case NORMAL -> new int[] {x, y};
      case MIRROR_HORIZONTAL -> new int[] {w - x, y};
      case ROTATE_180 -> new int[] {w - x, h - y};
      case MIRROR_VERTICAL -> new int[] {x, h - y};
      case TRANSPOSE -> new int[] {y, x};
      case ROTATE_90_CW -> new int[] {h - y, x};
      case TRANSVERSE -> new int[] {h - y, w - x};
      case ROTATE_90_CCW -> new int[] {y, w - x};
    };
  }

  /**
   * Where a box drawn on the stored pixels lies in the displayed frame, as {@code {xmin, ymin,
   * xmax, ymax}}: the continuous counterpart of {@link #displayedPoint}, for labels made with a
   * tool that ignored the orientation tag.
   *
   * <p>A mirror maps {@code x} to {@code extentWidth - x}. For 0-based edge coordinates (COCO, CSV,
   * the toolkit's own boxes) the extent is the stored width and height, so a box covering the whole
   * image still covers it; for 1-based pixel indices (Pascal VOC, whose mirror axis lies at {@code
   * (size + 1) / 2}) pass the size plus one.
   */
  public double[] displayedBox(
      double xmin, double ymin, double xmax, double ymax, double extentHeight, double extentWidth) {
    double w = extentWidth;
    double h = extentHeight;
    return switch (this) {
      case NORMAL -> new double[] {xmin, ymin, xmax, ymax};
      case MIRROR_HORIZONTAL -> new double[] {w - xmax, ymin, w - xmin, ymax};
      case ROTATE_180 -> new double[] {w - xmax, h - ymax, w - xmin, h - ymin};
      case MIRROR_VERTICAL -> new double[] {xmin, h - ymax, xmax, h - ymin};
      case TRANSPOSE -> new double[] {ymin, xmin, ymax, xmax};
      case ROTATE_90_CW -> new double[] {h - ymax, xmin, h - ymin, xmax};
      case TRANSVERSE -> new double[] {h - ymax, w - xmax, h - ymin, w - xmin};
      case ROTATE_90_CCW -> new double[] {ymin, w - xmax, ymax, w - xmin};
    };
  }

  /**
   * The orientation that undoes this one: applying it to the displayed image gives the stored image
   * back (what a camera does before it writes the tag).
   */
  public Orientation inverse() {
    return switch (this) {
      case ROTATE_90_CW -> ROTATE_90_CCW;
      case ROTATE_90_CCW -> ROTATE_90_CW;
      default -> this; // the mirrors, the half turn, transpose and transverse undo themselves
    };
  }

  /** The stored image turned upright; {@link #NORMAL} returns {@code stored} itself. */
  public RgbImage toDisplayed(RgbImage stored) {
    if (this == NORMAL) {
      return stored;
    }
    int sh = stored.height();
    int sw = stored.width();
    ImageFiles.Size out = displayedSize(sh, sw);
    // The mapping is affine, so three points give the displayed index of every stored pixel
    // without a per-pixel allocation (a 12 MP photo has 12 million of them).
    int[] o = displayedPoint(0, 0, sh, sw);
    int[] ox = displayedPoint(1, 0, sh, sw);
    int[] oy = displayedPoint(0, 1, sh, sw);
    int dw = out.width();
    int origin = o[1] * dw + o[0];
    int stepX = (ox[1] - o[1]) * dw + (ox[0] - o[0]);
    int stepY = (oy[1] - o[1]) * dw + (oy[0] - o[0]);
    byte[] src = stored.data();
    byte[] dst = new byte[src.length];
    int s = 0;
    for (int y = 0; y < sh; y++) {
      int t = origin + y * stepY;
      for (int x = 0; x < sw; x++, s += 3, t += stepX) {
        dst[t * 3] = src[s];
        dst[t * 3 + 1] = src[s + 1];
        dst[t * 3 + 2] = src[s + 2];
      }
    }
    return new RgbImage(out.height(), out.width(), dst);
  }
}
