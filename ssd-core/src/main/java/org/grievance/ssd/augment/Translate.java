package org.grievance.ssd.augment;

import java.util.Objects;
import java.util.random.RandomGenerator;
import org.grievance.ssd.image.RgbImage;

/**
 * Shifts the image by {@code dy·H} rows and {@code dx·W} columns (each rounded half to even),
 * keeping its size; uncovered pixels take the background colour. Labels are shifted, then filtered
 * (image size), then clipped to {@code [0, W−1] × [0, H−1]} if {@code clipBoxes}. The inverter
 * shifts predictions back (the reference has none).
 */
public record Translate(
    double dy, double dx, boolean clipBoxes, BoxFilter boxFilter, Background background)
    implements Transform {
  public Translate {
    if (!Double.isFinite(dy) || !Double.isFinite(dx)) {
      throw new IllegalArgumentException("translation must be finite, got dy=" + dy + " dx=" + dx);
    }
    Objects.requireNonNull(background, "background");
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    int h = in.height();
    int w = in.width();
    int dyAbs = (int) Math.rint(h * dy);
    int dxAbs = (int) Math.rint(w * dx);
    RgbImage img = shift(in.image(), dyAbs, dxAbs, background);
    double[][] labels =
        Labels.filterAndClip(Labels.shift(in.labels(), dxAbs, dyAbs), boxFilter, clipBoxes, h, w);
    Inverter inverter =
        Inverter.ofBoxMap(
            p -> {
              p[Inverter.BOX] -= dxAbs;
              p[Inverter.BOX + 1] -= dyAbs;
              p[Inverter.BOX + 2] -= dxAbs;
              p[Inverter.BOX + 3] -= dyAbs;
            });
    return in.next(img, labels, inverter);
  }

  /** Pixel (x, y) moves to (x + dx, y + dy); exact copy (an integer shift needs no blending). */
  static RgbImage shift(RgbImage src, int dy, int dx, Background background) {
    int h = src.height();
    int w = src.width();
    byte[] out = background.fill(h, w);
    int x0 = Math.max(0, dx);
    int x1 = Math.min(w, w + dx);
    if (x1 > x0) {
      byte[] s = src.data();
      int len = (x1 - x0) * 3;
      for (int y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
        System.arraycopy(s, ((y - dy) * w + (x0 - dx)) * 3, out, (y * w + x0) * 3, len);
      }
    }
    return new RgbImage(h, w, out);
  }
}
