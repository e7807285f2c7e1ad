package org.grievance.ssd.augment;

import org.grievance.ssd.image.RgbImage;

/**
 * The straightforward first versions of {@link Resampler}'s loops, kept as the oracle the optimised
 * ones must match bit for bit (they share only the coefficient tables).
 */
final class ReferenceResampler {
  private ReferenceResampler() {}

  static RgbImage resize(RgbImage src, int outH, int outW, Interpolation mode) {
    int inH = src.height();
    int inW = src.width();
    Resampler.AxisTable tx = Resampler.table(mode, inW, outW);
    Resampler.AxisTable ty = Resampler.table(mode, inH, outH);
    byte[] s = src.data();
    int rowOut = outW * 3;
    // Horizontal pass: inH rows of outW pixels.
    float[] tmp = new float[inH * rowOut];
    int xt = tx.taps();
    int[] xi = tx.index();
    float[] xw = tx.weight();
    for (int y = 0; y < inH; y++) {
      int srow = y * inW * 3;
      int trow = y * rowOut;
      for (int ox = 0; ox < outW; ox++) {
        float r = 0;
        float g = 0;
        float b = 0;
        int base = ox * xt;
        for (int t = 0; t < xt; t++) {
          float w = xw[base + t];
          int p = srow + xi[base + t] * 3;
          r += w * (s[p] & 0xFF);
          g += w * (s[p + 1] & 0xFF);
          b += w * (s[p + 2] & 0xFF);
        }
        int q = trow + ox * 3;
        tmp[q] = r;
        tmp[q + 1] = g;
        tmp[q + 2] = b;
      }
    }
    // Vertical pass.
    byte[] out = new byte[outH * rowOut];
    float[] acc = new float[rowOut];
    int yt = ty.taps();
    int[] yi = ty.index();
    float[] yw = ty.weight();
    for (int oy = 0; oy < outH; oy++) {
      java.util.Arrays.fill(acc, 0f);
      for (int t = 0; t < yt; t++) {
        float w = yw[oy * yt + t];
        if (w == 0f) {
          continue;
        }
        int trow = yi[oy * yt + t] * rowOut;
        for (int j = 0; j < rowOut; j++) {
          acc[j] += w * tmp[trow + j];
        }
      }
      int orow = oy * rowOut;
      for (int j = 0; j < rowOut; j++) {
        out[orow + j] = (byte) FloatImage.saturate(acc[j]);
      }
    }
    return new RgbImage(outH, outW, out);
  }

  /**
   * Bilinear warp by the axis-aligned affine map {@code x' = fx·x + tx}, {@code y' = fy·y + ty}
   * (same output size), uncovered taps read {@code background}. Positions are quantised to 1/32
   * pixel and blended in integers as OpenCV's {@code warpAffine} does.
   */
  static RgbImage warpScale(
      RgbImage src, double fx, double tx, double fy, double ty, Background background) {
    int h = src.height();
    int w = src.width();
    int[] x0 = new int[w];
    int[] ax = new int[w];
    for (int x = 0; x < w; x++) {
      int q = quantised(x, 1 / fx, -tx / fx);
      x0[x] = q >> 5;
      ax[x] = q & 31;
    }
    int[] y0 = new int[h];
    int[] ay = new int[h];
    for (int y = 0; y < h; y++) {
      int q = quantised(y, 1 / fy, -ty / fy);
      y0[y] = q >> 5;
      ay[y] = q & 31;
    }
    byte[] s = src.data();
    byte[] out = new byte[s.length];
    int[] bg = {background.r(), background.g(), background.b()};
    for (int y = 0; y < h; y++) {
      int sy = y0[y];
      int wy1 = ay[y];
      int wy0 = 32 - wy1;
      boolean row0 = sy >= 0 && sy < h;
      boolean row1 = sy + 1 >= 0 && sy + 1 < h;
      for (int x = 0; x < w; x++) {
        int sx = x0[x];
        int wx1 = ax[x];
        int wx0 = 32 - wx1;
        boolean col0 = sx >= 0 && sx < w;
        boolean col1 = sx + 1 >= 0 && sx + 1 < w;
        int o = (y * w + x) * 3;
        for (int c = 0; c < 3; c++) {
          int v00 = row0 && col0 ? s[(sy * w + sx) * 3 + c] & 0xFF : bg[c];
          int v01 = row0 && col1 ? s[(sy * w + sx + 1) * 3 + c] & 0xFF : bg[c];
          int v10 = row1 && col0 ? s[((sy + 1) * w + sx) * 3 + c] & 0xFF : bg[c];
          int v11 = row1 && col1 ? s[((sy + 1) * w + sx + 1) * 3 + c] & 0xFF : bg[c];
          int sum = v00 * wx0 * wy0 + v01 * wx1 * wy0 + v10 * wx0 * wy1 + v11 * wx1 * wy1;
          out[o + c] = (byte) ((sum + 512) >> 10);
        }
      }
    }
    return new RgbImage(h, w, out);
  }

  /** Source position of output index {@code i} in 1/32 pixels, as OpenCV's fixed-point warp. */
  private static int quantised(int i, double m, double t) {
    long base = (long) Math.rint(t * 1024);
    long delta = (long) Math.rint(m * i * 1024);
    return (int) ((base + delta + 16) >> 5);
  }

  static RgbImage flipHorizontal(RgbImage src) {
    int h = src.height();
    int w = src.width();
    byte[] s = src.data();
    byte[] out = new byte[s.length];
    int row = w * 3;
    for (int y = 0; y < h; y++) {
      int base = y * row;
      for (int x = 0; x < w; x++) {
        System.arraycopy(s, base + x * 3, out, base + (w - 1 - x) * 3, 3);
      }
    }
    return new RgbImage(h, w, out);
  }
}
