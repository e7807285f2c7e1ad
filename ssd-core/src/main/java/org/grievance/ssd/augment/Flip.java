package org.grievance.ssd.augment;

import java.util.Locale;
import java.util.random.RandomGenerator;
import org.grievance.ssd.image.RgbImage;

/**
 * Mirrors the image; boxes map as {@code xmin' = W − xmax}, {@code xmax' = W − xmin} (with W, not W
 * − 1, as the reference), vertically likewise with H. Its own inverse (the reference offers no
 * inverter here; this one is exact).
 */
public record Flip(Dim dim) implements Transform {
  /** Which axis is mirrored. */
  public enum Dim {
    HORIZONTAL,
    VERTICAL;

    public static Dim parse(String name) {
      for (Dim d : values()) {
        if (d.name().toLowerCase(Locale.ROOT).equals(name)) {
          return d;
        }
      }
      throw new IllegalArgumentException(
          "unknown flip dim '" + name + "': expected horizontal or vertical");
    }
  }

  public Flip {
    java.util.Objects.requireNonNull(dim, "dim");
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    int h = in.height();
    int w = in.width();
    byte[] s = in.image().data();
    byte[] out = new byte[s.length];
    int row = w * 3;
    if (dim == Dim.HORIZONTAL) {
      for (int y = 0; y < h; y++) {
        int base = y * row;
        for (int i = base, o = base + row - 3; o >= base; i += 3, o -= 3) {
          out[o] = s[i];
          out[o + 1] = s[i + 1];
          out[o + 2] = s[i + 2];
        }
      }
    } else {
      for (int y = 0; y < h; y++) {
        System.arraycopy(s, y * row, out, (h - 1 - y) * row, row);
      }
    }
    double[][] labels = Labels.copy(in.labels());
    int lo = dim == Dim.HORIZONTAL ? Labels.XMIN : Labels.YMIN;
    int hi = dim == Dim.HORIZONTAL ? Labels.XMAX : Labels.YMAX;
    double size = dim == Dim.HORIZONTAL ? w : h;
    for (double[] r : labels) {
      double a = r[lo];
      r[lo] = size - r[hi];
      r[hi] = size - a;
    }
    int plo = Inverter.BOX + lo - 1;
    int phi = Inverter.BOX + hi - 1;
    Inverter inverter =
        Inverter.ofBoxMap(
            p -> {
              double a = p[plo];
              p[plo] = size - p[phi];
              p[phi] = size - a;
            });
    return in.next(new RgbImage(h, w, out), labels, inverter);
  }
}
