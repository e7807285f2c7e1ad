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
  void applyUint8(byte[] px) {
    switch (this) {
      case RGB_TO_HSV -> rgbToHsvUint8(px);
      case HSV_TO_RGB -> hsvToRgbUint8(px);
      default -> {
        int[] out = new int[3];
        for (int i = 0; i + 2 < px.length; i += 3) {
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

  /** {@link #rgbToHsv} inlined over a pixel array. */
  private static void rgbToHsvUint8(byte[] px) {
    final int half = 1 << (SHIFT - 1);
    for (int i = 0; i + 2 < px.length; i += 3) {
      int r = px[i] & 0xFF;
      int g = px[i + 1] & 0xFF;
      int b = px[i + 2] & 0xFF;
      int v = Math.max(r, Math.max(g, b));
      int diff = v - Math.min(r, Math.min(g, b));
      int h;
      if (v == r) {
        h = g - b;
      } else if (v == g) {
        h = b - r + 2 * diff;
      } else {
        h = r - g + 4 * diff;
      }
      h = (h * HDIV[diff] + half) >> SHIFT;
      if (h < 0) {
        h += 180;
      }
      px[i] = (byte) h;
      px[i + 1] = (byte) ((diff * SDIV[v] + half) >> SHIFT);
      px[i + 2] = (byte) v;
    }
  }

  /** {@link #hsvToRgb} over a pixel array, the hue-, s- and v-only terms read from tables. */
  private static void hsvToRgbUint8(byte[] px) {
    for (int i = 0; i + 2 < px.length; i += 3) {
      int hue = px[i] & 0xFF;
      int sat = px[i + 1] & 0xFF;
      float v = UNIT[px[i + 2] & 0xFF];
      int r;
      int g;
      int b;
      if (sat == 0) {
        r = g = b = FloatImage.saturate(v * 255f);
      } else {
        float s = UNIT[sat];
        int cv = FloatImage.saturate(v * 255f);
        int cp = FloatImage.saturate(v * (1f - s) * 255f);
        switch (SECTOR[hue]) {
          case 0 -> {
            r = cv;
            g = FloatImage.saturate(v * (1f - s * ONE_MINUS_FRACTION[hue]) * 255f);
            b = cp;
          }
          case 1 -> {
            r = FloatImage.saturate(v * (1f - s * FRACTION[hue]) * 255f);
            g = cv;
            b = cp;
          }
          case 2 -> {
            r = cp;
            g = cv;
            b = FloatImage.saturate(v * (1f - s * ONE_MINUS_FRACTION[hue]) * 255f);
          }
          case 3 -> {
            r = cp;
            g = FloatImage.saturate(v * (1f - s * FRACTION[hue]) * 255f);
            b = cv;
          }
          case 4 -> {
            r = FloatImage.saturate(v * (1f - s * ONE_MINUS_FRACTION[hue]) * 255f);
            g = cp;
            b = cv;
          }
          default -> {
            r = cv;
            g = cp;
            b = FloatImage.saturate(v * (1f - s * FRACTION[hue]) * 255f);
          }
        }
      }
      px[i] = (byte) r;
      px[i + 1] = (byte) g;
      px[i + 2] = (byte) b;
    }
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
