package org.grievance.ssd.augment;

import org.grievance.ssd.image.RgbImage;

/**
 * Image resampling on primitive arrays with precomputed per-axis coefficient tables (index and
 * weight of every tap of every output column/row), so the inner loops only multiply and add.
 * Resizing is separable: a horizontal pass into a float buffer, then a vertical pass, rounded half
 * to even and saturated. Sample positions follow OpenCV ({@code (d + 0.5)·in/out − 0.5}, border
 * replicated); the exact 8-bit results of interpolating kernels are library-specific (the golden
 * vectors mark them informational).
 */
final class Resampler {
  private Resampler() {}

  /**
   * Taps of one axis: output {@code o} reads {@code index[o·taps + t]} with weight {@code
   * weight[…]}.
   */
  record AxisTable(int taps, int[] index, float[] weight) {}

  static RgbImage resize(RgbImage src, int outH, int outW, Interpolation mode) {
    int inH = src.height();
    int inW = src.width();
    AxisTable tx = table(mode, inW, outW);
    AxisTable ty = table(mode, inH, outH);
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

  static AxisTable table(Interpolation mode, int in, int out) {
    double scale = (double) in / out;
    switch (mode) {
      case NEAREST -> {
        int[] idx = new int[out];
        float[] w = new float[out];
        for (int o = 0; o < out; o++) {
          idx[o] = Math.min((int) Math.floor(o * scale), in - 1);
          w[o] = 1f;
        }
        return new AxisTable(1, idx, w);
      }
      case LINEAR -> {
        return kernel(2, in, out, scale, mode);
      }
      case CUBIC -> {
        return kernel(4, in, out, scale, mode);
      }
      case LANCZOS4 -> {
        return kernel(8, in, out, scale, mode);
      }
      case AREA -> {
        return scale >= 1 ? area(in, out, scale) : areaUpscale(in, out, scale);
      }
      default -> throw new IllegalStateException("unreachable");
    }
  }

  private static AxisTable kernel(int taps, int in, int out, double scale, Interpolation mode) {
    int[] idx = new int[out * taps];
    float[] wt = new float[out * taps];
    float[] c = new float[taps];
    int first = -(taps / 2 - 1);
    for (int o = 0; o < out; o++) {
      float fx = (float) ((o + 0.5) * scale - 0.5);
      int sx = (int) Math.floor(fx);
      fx -= sx;
      if (mode == Interpolation.LINEAR) {
        if (sx < 0) {
          fx = 0;
          sx = 0;
        }
        if (sx >= in - 1) {
          fx = 0;
          sx = in - 1;
        }
        c[0] = 1f - fx;
        c[1] = fx;
      } else if (mode == Interpolation.CUBIC) {
        cubic(fx, c);
      } else {
        lanczos4(fx, c);
      }
      for (int t = 0; t < taps; t++) {
        idx[o * taps + t] = Math.max(0, Math.min(in - 1, sx + first + t));
        wt[o * taps + t] = c[t];
      }
    }
    return new AxisTable(taps, idx, wt);
  }

  /** Keys cubic with a = −0.75 (OpenCV's choice). */
  private static void cubic(float x, float[] c) {
    final float a = -0.75f;
    c[0] = ((a * (x + 1) - 5 * a) * (x + 1) + 8 * a) * (x + 1) - 4 * a;
    c[1] = ((a + 2) * x - (a + 3)) * x * x + 1;
    c[2] = ((a + 2) * (1 - x) - (a + 3)) * (1 - x) * (1 - x) + 1;
    c[3] = 1f - c[0] - c[1] - c[2];
  }

  /** Lanczos with a = 4 over taps −3..4, normalised to sum 1. */
  private static void lanczos4(float x, float[] c) {
    if (x < 1e-7f) {
      java.util.Arrays.fill(c, 0f);
      c[3] = 1f;
      return;
    }
    double sum = 0;
    for (int i = 0; i < 8; i++) {
      double t = Math.PI * (x + 3 - i);
      double v = 4 * Math.sin(t) * Math.sin(t / 4) / (t * t);
      c[i] = (float) v;
      sum += v;
    }
    for (int i = 0; i < 8; i++) {
      c[i] = (float) (c[i] / sum);
    }
  }

  /** Pixel-area averaging for downscaling: source pixels weighted by their overlap. */
  private static AxisTable area(int in, int out, double scale) {
    int taps = (int) Math.ceil(scale) + 1;
    int[] idx = new int[out * taps];
    float[] wt = new float[out * taps];
    for (int o = 0; o < out; o++) {
      double lo = o * scale;
      double hi = Math.min(lo + scale, in);
      double cell = hi - lo;
      int k0 = (int) Math.floor(lo);
      for (int t = 0; t < taps; t++) {
        int k = k0 + t;
        double overlap = Math.min(hi, k + 1) - Math.max(lo, k);
        idx[o * taps + t] = Math.min(k, in - 1);
        wt[o * taps + t] = overlap > 0 && k < in ? (float) (overlap / cell) : 0f;
      }
    }
    return new AxisTable(taps, idx, wt);
  }

  /** OpenCV's INTER_AREA when enlarging: linear taps with area-style fractions. */
  private static AxisTable areaUpscale(int in, int out, double scale) {
    int[] idx = new int[out * 2];
    float[] wt = new float[out * 2];
    double inv = 1 / scale;
    for (int o = 0; o < out; o++) {
      int sx = (int) Math.floor(o * scale);
      float fx = (float) ((o + 1) - (sx + 1) * inv);
      fx = fx <= 0 ? 0f : fx - (float) Math.floor(fx);
      idx[2 * o] = Math.min(sx, in - 1);
      idx[2 * o + 1] = Math.min(sx + 1, in - 1);
      wt[2 * o] = 1f - fx;
      wt[2 * o + 1] = fx;
    }
    return new AxisTable(2, idx, wt);
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
}
