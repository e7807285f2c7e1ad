package org.grievance.ssd.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * Converts the raw four-channel raster of a CMYK or YCCK JPEG to RGB. No ICC colour management: the
 * naive {@code (1 - C)(1 - K)} formula, which is what a detector needs (plausible colours), not
 * print-accurate ones.
 */
final class CmykJpeg {
  private CmykJpeg() {}

  /**
   * @param transform the Adobe APP14 transform: -1 no Adobe marker (plain CMYK, 255 = full ink), 0
   *     or 1 Adobe CMYK (stored inverted, 255 = no ink), 2 YCCK (Y/Cb/Cr carry the inverted CMY, K
   *     stored inverted)
   */
  static BufferedImage toRgb(Raster raster, int transform) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    int x0 = raster.getMinX();
    int y0 = raster.getMinY();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] px = new int[w * 4];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getPixels(x0, y0 + y, w, 1, px);
      for (int x = 0; x < w; x++) {
        int a = px[4 * x];
        int b = px[4 * x + 1];
        int c = px[4 * x + 2];
        int k = px[4 * x + 3];
        int r;
        int g;
        int bl;
        if (transform == 2) {
          // YCCK: YCbCr -> "RGB" gives the ink amounts of C, M, Y; K is stored inverted.
          double inkC = clamp(a + 1.402 * (c - 128));
          double inkM = clamp(a - 0.344136 * (b - 128) - 0.714136 * (c - 128));
          double inkY = clamp(a + 1.772 * (b - 128));
          r = (int) Math.round((255 - inkC) * k / 255.0);
          g = (int) Math.round((255 - inkM) * k / 255.0);
          bl = (int) Math.round((255 - inkY) * k / 255.0);
        } else {
          // Adobe CMYK: every channel stored inverted (255 = no ink).
          r = (a * k + 127) / 255;
          g = (b * k + 127) / 255;
          bl = (c * k + 127) / 255;
        }
        row[x] = (r << 16) | (g << 8) | bl;
      }
      out.setRGB(0, y, w, 1, row, 0, w);
    }
    return out;
  }

  private static double clamp(double v) {
    return v < 0 ? 0 : (v > 255 ? 255 : v);
  }
}
