package org.grievance.ssd.image;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * An 8-bit RGB image stored row-major, channels interleaved ({@code HWC}): the one pixel format
 * every reader produces and every augmentation, encoder and model input consumes. Immutable by
 * convention: operations return new images; {@link #data()} exposes the array for speed, callers
 * must not modify an image they did not create.
 */
public record RgbImage(int height, int width, byte[] data) {
  public RgbImage {
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
              + " RGB image needs "
              + height * width * 3);
    }
  }

  /** A blank image filled with one colour. */
  public static RgbImage filled(int height, int width, int r, int g, int b) {
    byte[] px = new byte[height * width * 3];
    for (int i = 0; i < px.length; i += 3) {
      px[i] = (byte) r;
      px[i + 1] = (byte) g;
      px[i + 2] = (byte) b;
    }
    return new RgbImage(height, width, px);
  }

  /** Channel {@code c} (0 red, 1 green, 2 blue) of pixel (y, x), 0–255. */
  public int get(int y, int x, int c) {
    return data[(y * width + x) * 3 + c] & 0xFF;
  }

  /**
   * Converts any AWT image to RGB: grayscale is replicated to three channels, alpha is dropped
   * (composited over nothing, as the reference's "first three channels"), CMYK and indexed images
   * go through the colour model's RGB conversion.
   */
  public static RgbImage fromBufferedImage(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] px = new byte[w * h * 3];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      int o = y * w * 3;
      for (int x = 0; x < w; x++) {
        int argb = row[x];
        px[o++] = (byte) (argb >> 16);
        px[o++] = (byte) (argb >> 8);
        px[o++] = (byte) argb;
      }
    }
    return new RgbImage(h, w, px);
  }

  /** A {@code TYPE_INT_RGB} copy for drawing and writing PNG/JPEG files. */
  public BufferedImage toBufferedImage() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      int o = y * width * 3;
      for (int x = 0; x < width; x++) {
        row[x] = ((data[o] & 0xFF) << 16) | ((data[o + 1] & 0xFF) << 8) | (data[o + 2] & 0xFF);
        o += 3;
      }
      img.setRGB(0, y, width, 1, row, 0, width);
    }
    return img;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RgbImage other
        && other.height == height
        && other.width == width
        && Arrays.equals(other.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * height + width) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "RgbImage[" + height + "x" + width + "]";
  }
}
