package org.grievance.ssd.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;

/** The fallback converter, fed rasters directly (JDK 17 rarely needs it for real files). */
class CmykJpegTest {
  /** Ink amounts C, M, Y, K (255 = full ink) and the RGB they should give. */
  private static final int[][] INKS = {
    {0, 255, 255, 0},
    {255, 0, 255, 0},
    {255, 255, 0, 0},
    {0, 0, 0, 0},
    {0, 0, 0, 255},
    {0, 0, 0, 128},
    {128, 0, 0, 0}
  };

  private static final int[][] RGB = {
    {255, 0, 0},
    {0, 255, 0},
    {0, 0, 255},
    {255, 255, 255},
    {0, 0, 0},
    {127, 127, 127},
    {127, 255, 255}
  };

  private static WritableRaster raster() {
    return Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, INKS.length, 1, 4, null);
  }

  private static void check(BufferedImage img, int tol) {
    for (int i = 0; i < INKS.length; i++) {
      int argb = img.getRGB(i, 0);
      int[] actual = {(argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF};
      for (int c = 0; c < 3; c++) {
        assertThat(actual[c]).as("ink %d channel %d", i, c).isCloseTo(RGB[i][c], within(tol));
      }
    }
  }

  private static org.assertj.core.data.Offset<Integer> within(int tol) {
    return org.assertj.core.data.Offset.offset(tol);
  }

  @Test
  void adobeInvertedCmyk() {
    WritableRaster r = raster();
    for (int i = 0; i < INKS.length; i++) {
      int[] px = new int[4];
      for (int c = 0; c < 4; c++) {
        px[c] = 255 - INKS[i][c];
      }
      r.setPixel(i, 0, px);
    }
    check(CmykJpeg.toRgb(r, 0), 1);
    check(CmykJpeg.toRgb(r, -1), 1);
  }

  @Test
  void ycck() {
    WritableRaster r = raster();
    for (int i = 0; i < INKS.length; i++) {
      // Forward JFIF RGB->YCbCr applied to the ink amounts, K stored inverted (libjpeg's YCCK).
      double rr = INKS[i][0];
      double gg = INKS[i][1];
      double bb = INKS[i][2];
      int y = (int) Math.round(0.299 * rr + 0.587 * gg + 0.114 * bb);
      int cb = (int) Math.round(128 - 0.168736 * rr - 0.331264 * gg + 0.5 * bb);
      int cr = (int) Math.round(128 + 0.5 * rr - 0.418688 * gg - 0.081312 * bb);
      r.setPixel(i, 0, new int[] {clamp(y), clamp(cb), clamp(cr), 255 - INKS[i][3]});
    }
    check(CmykJpeg.toRgb(r, 2), 3);
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
