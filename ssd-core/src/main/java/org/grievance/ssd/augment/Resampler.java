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
    int yt = ty.taps();
    int[] yi = ty.index();
    float[] yw = ty.weight();
    // Only the input rows the vertical pass reads with a nonzero weight get a horizontal pass
    // (a large downscale with few taps reads a fraction of them); slot[y] is the row's place in
    // the compact buffer, −1 for rows never read.
    int[] slot = new int[inH];
    java.util.Arrays.fill(slot, -1);
    int rows = 0;
    for (int k = 0; k < yi.length; k++) {
      if (yw[k] != 0f && slot[yi[k]] < 0) {
        slot[yi[k]] = 0;
      }
    }
    for (int y = 0; y < inH; y++) {
      if (slot[y] == 0) {
        slot[y] = rows++;
      } else {
        slot[y] = -1;
      }
    }
    byte[] s = src.data();
    int rowOut = outW * 3;
    float[] tmp = new float[Math.max(1, rows) * rowOut];
    int xt = tx.taps();
    int[] xo = new int[tx.index().length];
    for (int k = 0; k < xo.length; k++) {
      xo[k] = tx.index()[k] * 3;
    }
    float[] xw = tx.weight();
    for (int y = 0; y < inH; y++) {
      if (slot[y] >= 0) {
        horizontal(s, y * inW * 3, tmp, slot[y] * rowOut, outW, xt, xo, xw);
      }
    }
    // Vertical pass (auto-vectorised); the accumulation order is the tap order, as before.
    byte[] out = new byte[outH * rowOut];
    float[] acc = new float[rowOut];
    for (int oy = 0; oy < outH; oy++) {
      java.util.Arrays.fill(acc, 0f);
      for (int t = 0; t < yt; t++) {
        float w = yw[oy * yt + t];
        if (w == 0f) {
          continue;
        }
        int trow = slot[yi[oy * yt + t]] * rowOut;
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
   * One row of the horizontal pass: {@code out[ox] = Σ_t w[t]·src[xo[t]]} per channel, summed in
   * tap order from 0 (the two- and four-tap kernels unrolled, the sums unchanged).
   */
  private static void horizontal(
      byte[] s, int srow, float[] tmp, int trow, int outW, int xt, int[] xo, float[] xw) {
    if (xt == 2) {
      for (int ox = 0, k = 0, q = trow; ox < outW; ox++, k += 2, q += 3) {
        int p0 = srow + xo[k];
        int p1 = srow + xo[k + 1];
        float w0 = xw[k];
        float w1 = xw[k + 1];
        float r = 0f;
        float g = 0f;
        float b = 0f;
        r += w0 * (s[p0] & 0xFF);
        g += w0 * (s[p0 + 1] & 0xFF);
        b += w0 * (s[p0 + 2] & 0xFF);
        r += w1 * (s[p1] & 0xFF);
        g += w1 * (s[p1 + 1] & 0xFF);
        b += w1 * (s[p1 + 2] & 0xFF);
        tmp[q] = r;
        tmp[q + 1] = g;
        tmp[q + 2] = b;
      }
      return;
    }
    if (xt == 4) {
      for (int ox = 0, k = 0, q = trow; ox < outW; ox++, k += 4, q += 3) {
        int p0 = srow + xo[k];
        int p1 = srow + xo[k + 1];
        int p2 = srow + xo[k + 2];
        int p3 = srow + xo[k + 3];
        float w0 = xw[k];
        float w1 = xw[k + 1];
        float w2 = xw[k + 2];
        float w3 = xw[k + 3];
        float r = 0f;
        float g = 0f;
        float b = 0f;
        r += w0 * (s[p0] & 0xFF);
        g += w0 * (s[p0 + 1] & 0xFF);
        b += w0 * (s[p0 + 2] & 0xFF);
        r += w1 * (s[p1] & 0xFF);
        g += w1 * (s[p1 + 1] & 0xFF);
        b += w1 * (s[p1 + 2] & 0xFF);
        r += w2 * (s[p2] & 0xFF);
        g += w2 * (s[p2 + 1] & 0xFF);
        b += w2 * (s[p2 + 2] & 0xFF);
        r += w3 * (s[p3] & 0xFF);
        g += w3 * (s[p3 + 1] & 0xFF);
        b += w3 * (s[p3 + 2] & 0xFF);
        tmp[q] = r;
        tmp[q + 1] = g;
        tmp[q + 2] = b;
      }
      return;
    }
    for (int ox = 0, q = trow; ox < outW; ox++, q += 3) {
      float r = 0f;
      float g = 0f;
      float b = 0f;
      int base = ox * xt;
      for (int t = 0; t < xt; t++) {
        float w = xw[base + t];
        int p = srow + xo[base + t];
        r += w * (s[p] & 0xFF);
        g += w * (s[p + 1] & 0xFF);
        b += w * (s[p + 2] & 0xFF);
      }
      tmp[q] = r;
      tmp[q + 1] = g;
      tmp[q + 2] = b;
    }
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
    // The source framed by background: rows −1..h+1, columns −1..w+1. A tap outside the image
    // then reads the frame; a position beyond the frame is moved onto it with both taps on
    // background (weights 32, 0), which gives the same sum as two background taps.
    int pw = w + 3;
    byte[] pad = background.fill(h + 3, pw);
    byte[] s = src.data();
    for (int y = 0; y < h; y++) {
      System.arraycopy(s, y * w * 3, pad, ((y + 1) * pw + 1) * 3, w * 3);
    }
    int[] xoff = new int[w];
    int[] ax = new int[w];
    for (int x = 0; x < w; x++) {
      int q = quantised(x, 1 / fx, -tx / fx);
      int sx = q >> 5;
      int a = q & 31;
      if (sx < -1 || sx > w) {
        sx = sx < -1 ? -1 : w;
        a = 0;
      }
      xoff[x] = (sx + 1) * 3;
      ax[x] = a;
    }
    byte[] out = new byte[s.length];
    int prow = pw * 3;
    for (int y = 0; y < h; y++) {
      int q = quantised(y, 1 / fy, -ty / fy);
      int sy = q >> 5;
      int wy1 = q & 31;
      if (sy < -1 || sy > h) {
        sy = sy < -1 ? -1 : h;
        wy1 = 0;
      }
      int wy0 = 32 - wy1;
      int r0 = (sy + 1) * prow;
      int r1 = r0 + prow;
      for (int x = 0, o = y * w * 3; x < w; x++, o += 3) {
        int wx1 = ax[x];
        int wx0 = 32 - wx1;
        int p0 = r0 + xoff[x];
        int p1 = r1 + xoff[x];
        for (int c = 0; c < 3; c++) {
          int top = (pad[p0 + c] & 0xFF) * wx0 + (pad[p0 + 3 + c] & 0xFF) * wx1;
          int bottom = (pad[p1 + c] & 0xFF) * wx0 + (pad[p1 + 3 + c] & 0xFF) * wx1;
          out[o + c] = (byte) ((top * wy0 + bottom * wy1 + 512) >> 10);
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
