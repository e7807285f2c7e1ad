package org.grievance.ssd.synth;

/**
 * One labelled object of a synthetic image. Coordinates are continuous pixel corners, 0-based:
 * {@code xmin} is the first pixel column the object covers and {@code xmax} the last one plus 1 (so
 * {@code xmax - xmin} is the width in pixels and {@code 0 <= xmin < xmax <= imageWidth}). This is
 * what the encoder's {@code border_pixels = 'half'} convention expects; note that it equals VOC's
 * 1-based inclusive numbers for xmax/ymax but is one less for xmin/ymin.
 *
 * @param truncated the object extends past the image border and the box was clipped (VOC {@code
 *     truncated = 1})
 */
public record SynthObject(
    SynthClass type, int xmin, int ymin, int xmax, int ymax, boolean truncated) {
  public SynthObject {
    if (xmin < 0 || ymin < 0 || xmax <= xmin || ymax <= ymin) {
      throw new IllegalArgumentException(
          "degenerate box for "
              + type
              + ": ("
              + xmin
              + ", "
              + ymin
              + ", "
              + xmax
              + ", "
              + ymax
              + ")");
    }
  }

  public int width() {
    return xmax - xmin;
  }

  public int height() {
    return ymax - ymin;
  }
}
