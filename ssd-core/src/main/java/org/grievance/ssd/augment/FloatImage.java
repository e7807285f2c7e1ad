package org.grievance.ssd.augment;

import org.grievance.ssd.image.RgbImage;

/**
 * A three-channel float32 working image ({@code HWC}, interleaved), the reference's {@code float32}
 * photometric buffer. Mutable on purpose: {@link PixelOp}s rewrite {@link #data()} in place so a
 * photometric sequence allocates one buffer per image. The colour space (RGB or HSV) is whatever
 * the preceding ops produced.
 */
public final class FloatImage {
  private final int height;
  private final int width;
  private final float[] data;

  public FloatImage(int height, int width, float[] data) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "image size must be positive, got " + height + "x" + width + " (HxW)");
    }
    if (data.length != height * width * 3) {
      throw new IllegalArgumentException(
          "pixel array has length "
              + data.length
              + " but a "
              + height
              + "x"
              + width
              + " 3-channel image needs "
              + height * width * 3);
    }
    this.height = height;
    this.width = width;
    this.data = data;
  }

  /** The reference's {@code ConvertDataType('float32')} of a uint8 image. */
  public static FloatImage of(RgbImage image) {
    byte[] src = image.data();
    float[] px = new float[src.length];
    for (int i = 0; i < src.length; i++) {
      px[i] = src[i] & 0xFF;
    }
    return new FloatImage(image.height(), image.width(), px);
  }

  /**
   * The reference's {@code ConvertDataType('uint8')}: round half to even, then cast without
   * clipping (so 255.5 rounds to 256 and wraps to 0, as the golden vectors record; the chains clip
   * before converting and never get there).
   */
  public RgbImage toRgbImage() {
    byte[] px = new byte[data.length];
    for (int i = 0; i < data.length; i++) {
      px[i] = (byte) toUint8(data[i]);
    }
    return new RgbImage(height, width, px);
  }

  /** Round half to even, then wrap modulo 256 (the uint8 cast). */
  static int toUint8(float v) {
    return ((int) Math.rint(v)) & 0xFF;
  }

  /**
   * Round half to even, saturated to [0, 255] (OpenCV's {@code saturate_cast<uchar>}); NaN gives 0.
   * Clamps first, then rounds with the {@code 2^23} trick: adding it to a float in [0, 255] leaves
   * no fraction bits, so IEEE round-to-nearest-even does the rounding (same as {@code Math.rint},
   * several times cheaper).
   */
  static int saturate(float v) {
    float c = v < 0f ? 0f : v > 255f ? 255f : v;
    return (int) (c + 0x1p23f - 0x1p23f);
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** The live pixel buffer. */
  public float[] data() {
    return data;
  }
}
