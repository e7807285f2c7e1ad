package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/**
 * Colour-space conversions with OpenCV's 8-bit conventions (hue in [0, 180), saturation and value
 * in [0, 255]), on a float image. Each first rounds the buffer to uint8 values (the reference
 * always converts colour on uint8 images: "uint8, RGB→HSV, float32" is this one op) and writes
 * integer-valued floats. Gray outputs are replicated to three channels ({@code keep_3ch}).
 *
 * <p>RGB→HSV uses OpenCV's fixed-point 8-bit formulas; HSV→RGB its float32 sector formula rounded
 * to 8 bits. The golden vectors mark colour conversion as informational.
 */
public enum ConvertColor implements TabulatedPixelOp {
  RGB_TO_HSV,
  HSV_TO_RGB,
  RGB_TO_GRAY,
  HSV_TO_GRAY;

  private static final int SHIFT = 12;
  private static final int[] SDIV = new int[256];
  private static final int[] HDIV = new int[256];

  /** {@link #hsvToRgb} split into per-channel tables: the hue's sector and fraction, s, v. */
  private static final int[] SECTOR = new int[256];

  private static final float[] FRACTION = new float[256];
  private static final float[] ONE_MINUS_FRACTION = new float[256];
  private static final float[] UNIT = new float[256];

  /**
   * Per hue: the bit offsets in {@code v | p << 8 | q << 16 | t << 24} of its sector's R, G and B
   * (bits 0–7, 8–15, 16–23).
   */
  private static final int[] PICK = new int[256];

  /** R, G, B of each sector as indices into (v, p, q, t). */
  private static final int[][] SECTOR_RGB = {
    {0, 3, 1}, {2, 0, 1}, {1, 0, 3}, {1, 2, 0}, {3, 1, 0}, {0, 1, 2}
  };

  static {
    for (int i = 1; i < 256; i++) {
      SDIV[i] = (int) Math.rint((255 << SHIFT) / (double) i);
      HDIV[i] = (int) Math.rint((180 << SHIFT) / (6.0 * i));
    }
    for (int i = 0; i < 256; i++) {
      float h = i * (6f / 180f);
      while (h >= 6f) {
        h -= 6f;
      }
      int sector = (int) Math.floor(h);
      h -= sector;
      if (sector < 0 || sector >= 6) {
        sector = 0;
        h = 0f;
      }
      SECTOR[i] = sector;
      FRACTION[i] = h;
      ONE_MINUS_FRACTION[i] = 1f - h;
      UNIT[i] = i * (1f / 255f);
      int[] rgb = SECTOR_RGB[sector];
      PICK[i] = 8 * rgb[0] | (8 * rgb[1]) << 8 | (8 * rgb[2]) << 16;
    }
  }

  @Override
  public void plan(PixelPlan plan, RandomGenerator rng) {
    plan.convert(this);
  }

  /**
   * The conversion on uint8 pixels ({@code HWC}) in place: the same results as {@link #apply} on
   * integer-valued floats, without the float buffer.
   */
  void applyUint8(byte[] px, int from, int to) {
    switch (this) {
      case RGB_TO_HSV -> rgbToHsvUint8(px, from, to);
      case HSV_TO_RGB -> hsvToRgbUint8(px, from, to);
      default -> {
        int[] out = new int[3];
        for (int i = from; i + 2 < to; i += 3) {
          int a = px[i] & 0xFF;
          int b = px[i + 1] & 0xFF;
          int c = px[i + 2] & 0xFF;
          if (this == HSV_TO_GRAY) {
            hsvToRgb(a, b, c, out);
            a = out[0];
            b = out[1];
            c = out[2];
          }
          gray(a, b, c, out);
          px[i] = (byte) out[0];
          px[i + 1] = (byte) out[0];
          px[i + 2] = (byte) out[0];
        }
      }
    }
  }

  /** {@link #rgbToHsv} over a pixel array. */
  private static void rgbToHsvUint8(byte[] px, int from, int to) {
    for (int i = from; i + 2 < to; i += 3) {
      int hsv = rgbToHsvPacked(px[i] & 0xFF, px[i + 1] & 0xFF, px[i + 2] & 0xFF);
      px[i] = (byte) (hsv >> 16);
      px[i + 1] = (byte) (hsv >> 8);
      px[i + 2] = (byte) hsv;
    }
  }

  /** {@link #hsvToRgb} over a pixel array. */
  private static void hsvToRgbUint8(byte[] px, int from, int to) {
    for (int i = from; i + 2 < to; i += 3) {
      int rgb = hsvToRgbPacked(px[i] & 0xFF, px[i + 1] & 0xFF, px[i + 2] & 0xFF);
      px[i] = (byte) (rgb >> 16);
      px[i + 1] = (byte) (rgb >> 8);
      px[i + 2] = (byte) rgb;
    }
  }

  /**
   * Per-channel tables, RGB→HSV, per-channel tables, HSV→RGB, per-channel tables, in one pass from
   * {@code src} to {@code dst}: the photometric chains' whole colour step ({@code pre*} act on R,
   * G, B, {@code mid*} on H, S, V, {@code post*} on R, G, B; identity tables where a step is
   * absent).
   */
  static void hsvRoundTrip(byte[] src, byte[] dst, byte[][] pre, byte[][] mid, byte[][] post) {
    byte[] p0 = pre[0];
    byte[] p1 = pre[1];
    byte[] p2 = pre[2];
    byte[] m0 = mid[0];
    byte[] m1 = mid[1];
    byte[] m2 = mid[2];
    byte[] q0 = post[0];
    byte[] q1 = post[1];
    byte[] q2 = post[2];
    for (int i = 0; i + 2 < src.length; i += 3) {
      int hsv =
          rgbToHsvPacked(
              p0[src[i] & 0xFF] & 0xFF, p1[src[i + 1] & 0xFF] & 0xFF, p2[src[i + 2] & 0xFF] & 0xFF);
      int rgb =
          hsvToRgbPacked(
              m0[(hsv >> 16) & 0xFF] & 0xFF, m1[(hsv >> 8) & 0xFF] & 0xFF, m2[hsv & 0xFF] & 0xFF);
      dst[i] = q0[(rgb >> 16) & 0xFF];
      dst[i + 1] = q1[(rgb >> 8) & 0xFF];
      dst[i + 2] = q2[rgb & 0xFF];
    }
  }

  /** {@link #rgbToHsv} as {@code h << 16 | s << 8 | v}. */
  private static int rgbToHsvPacked(int r, int g, int b) {
    final int half = 1 << (SHIFT - 1);
    int v = Math.max(r, Math.max(g, b));
    int diff = v - Math.min(r, Math.min(g, b));
    int h = v == r ? g - b : v == g ? b - r + 2 * diff : r - g + 4 * diff;
    h = (h * HDIV[diff] + half) >> SHIFT;
    h += (h >> 31) & 180;
    int s = (diff * SDIV[v] + half) >> SHIFT;
    return h << 16 | s << 8 | v;
  }

  /**
   * {@link #hsvToRgb} as {@code r << 16 | g << 8 | b}, branch-free: the four candidate values v, p,
   * q, t are all computed (with the scalar version's exact float expressions) and packed into one
   * int, and the hue's sector picks each channel by a shift from {@link #PICK}. For {@code s = 0}
   * all four equal {@code v} bit for bit, which is the scalar version's gray case.
   */
  private static int hsvToRgbPacked(int hue, int sat, int val) {
    float v = UNIT[val];
    float s = UNIT[sat];
    int cv = FloatImage.saturate(v * 255f);
    int cp = FloatImage.saturate(v * (1f - s) * 255f);
    int cq = FloatImage.saturate(v * (1f - s * FRACTION[hue]) * 255f);
    int ct = FloatImage.saturate(v * (1f - s * ONE_MINUS_FRACTION[hue]) * 255f);
    int packed = cv | cp << 8 | cq << 16 | ct << 24;
    int pick = PICK[hue];
    return ((packed >>> (pick & 0xFF)) & 0xFF) << 16
        | ((packed >>> ((pick >> 8) & 0xFF)) & 0xFF) << 8
        | ((packed >>> (pick >> 16)) & 0xFF);
  }

  @Override
  public void apply(FloatImage image, RandomGenerator rng) {
    float[] px = image.data();
    int[] out = new int[3];
    for (int i = 0; i < px.length; i += 3) {
      int a = FloatImage.toUint8(px[i]);
      int b = FloatImage.toUint8(px[i + 1]);
      int c = FloatImage.toUint8(px[i + 2]);
      switch (this) {
        case RGB_TO_HSV -> rgbToHsv(a, b, c, out);
        case HSV_TO_RGB -> hsvToRgb(a, b, c, out);
        case RGB_TO_GRAY -> gray(a, b, c, out);
        case HSV_TO_GRAY -> {
          hsvToRgb(a, b, c, out);
          gray(out[0], out[1], out[2], out);
        }
        default -> throw new IllegalStateException("unreachable");
      }
      px[i] = out[0];
      px[i + 1] = out[1];
      px[i + 2] = out[2];
    }
  }

  /** 8-bit RGB → HSV (H in [0, 180)) into {@code out}. */
  public static void rgbToHsv(int r, int g, int b, int[] out) {
    int v = Math.max(r, Math.max(g, b));
    int vmin = Math.min(r, Math.min(g, b));
    int diff = v - vmin;
    int s = (diff * SDIV[v] + (1 << (SHIFT - 1))) >> SHIFT;
    int h;
    if (v == r) {
      h = g - b;
    } else if (v == g) {
      h = b - r + 2 * diff;
    } else {
      h = r - g + 4 * diff;
    }
    h = (h * HDIV[diff] + (1 << (SHIFT - 1))) >> SHIFT;
    if (h < 0) {
      h += 180;
    }
    out[0] = h;
    out[1] = s;
    out[2] = v;
  }

  /** 8-bit HSV (H in [0, 180), values ≥ 180 wrap) → RGB into {@code out}. */
  public static void hsvToRgb(int hue, int sat, int val, int[] out) {
    float s = sat * (1f / 255f);
    float v = val * (1f / 255f);
    float r;
    float g;
    float b;
    if (s == 0f) {
      r = g = b = v;
    } else {
      float h = hue * (6f / 180f);
      while (h >= 6f) {
        h -= 6f;
      }
      int sector = (int) Math.floor(h);
      h -= sector;
      if (sector < 0 || sector >= 6) {
        sector = 0;
        h = 0f;
      }
      float p = v * (1f - s);
      float q = v * (1f - s * h);
      float t = v * (1f - s * (1f - h));
      switch (sector) {
        case 0 -> {
          r = v;
          g = t;
          b = p;
        }
        case 1 -> {
          r = q;
          g = v;
          b = p;
        }
        case 2 -> {
          r = p;
          g = v;
          b = t;
        }
        case 3 -> {
          r = p;
          g = q;
          b = v;
        }
        case 4 -> {
          r = t;
          g = p;
          b = v;
        }
        default -> {
          r = v;
          g = p;
          b = q;
        }
      }
    }
    out[0] = FloatImage.saturate(r * 255f);
    out[1] = FloatImage.saturate(g * 255f);
    out[2] = FloatImage.saturate(b * 255f);
  }

  /** OpenCV's fixed-point luma {@code 0.299 R + 0.587 G + 0.114 B}, replicated to 3 channels. */
  static void gray(int r, int g, int b, int[] out) {
    int y = (r * 4899 + g * 9617 + b * 1868 + (1 << 13)) >> 14;
    out[0] = y;
    out[1] = y;
    out[2] = y;
  }
}
