package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;
import org.grievance.ssd.image.RgbImage;

/**
 * Rotates counter-clockwise by 90, 180 or 270 degrees (90 and 270 swap height and width). Boxes:
 * 90: {@code (ymin, W−xmax, ymax, W−xmin)}; 180: {@code (W−xmax, H−ymax, W−xmin, H−ymin)}; 270:
 * {@code (H−ymax, xmin, H−ymin, xmax)}, rounded half to even as the reference.
 *
 * <p>Deviation: the pixels are an exact array rotation. The reference warps about {@code (W/2,
 * H/2)}, which shifts the image by one pixel against its own box mapping (golden: informational);
 * the exact rotation is the one consistent with the box formulas. The inverter maps predictions
 * back exactly (the reference has none).
 */
public record Rotate(int angle) implements Transform {
  public Rotate {
    if (angle != 90 && angle != 180 && angle != 270) {
      throw new IllegalArgumentException("rotation angle must be 90, 180 or 270, got " + angle);
    }
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    int h = in.height();
    int w = in.width();
    byte[] s = in.image().data();
    byte[] out = new byte[s.length];
    int outW = angle == 180 ? w : h;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int dy;
        int dx;
        if (angle == 90) {
          dy = w - 1 - x;
          dx = y;
        } else if (angle == 180) {
          dy = h - 1 - y;
          dx = w - 1 - x;
        } else {
          dy = x;
          dx = h - 1 - y;
        }
        System.arraycopy(s, (y * w + x) * 3, out, (dy * outW + dx) * 3, 3);
      }
    }
    RgbImage img = angle == 180 ? new RgbImage(h, w, out) : new RgbImage(w, h, out);
    double[][] labels = Labels.copy(in.labels());
    for (double[] r : labels) {
      rotateBox(r, Labels.XMIN, h, w);
    }
    Inverter inverter = Inverter.ofBoxMap(p -> unrotateBox(p, Inverter.BOX, h, w));
    return in.next(img, labels, inverter);
  }

  private void rotateBox(double[] r, int o, int h, int w) {
    double xmin = r[o];
    double ymin = r[o + 1];
    double xmax = r[o + 2];
    double ymax = r[o + 3];
    switch (angle) {
      case 90 -> set(r, o, ymin, w - xmax, ymax, w - xmin);
      case 180 -> set(r, o, w - xmax, h - ymax, w - xmin, h - ymin);
      default -> set(r, o, h - ymax, xmin, h - ymin, xmax);
    }
  }

  private void unrotateBox(double[] r, int o, int h, int w) {
    double a = r[o];
    double b = r[o + 1];
    double c = r[o + 2];
    double d = r[o + 3];
    switch (angle) {
      case 90 -> setExact(r, o, w - d, a, w - b, c);
      case 180 -> setExact(r, o, w - c, h - d, w - a, h - b);
      default -> setExact(r, o, b, h - c, d, h - a);
    }
  }

  private static void set(double[] r, int o, double a, double b, double c, double d) {
    setExact(r, o, Math.rint(a), Math.rint(b), Math.rint(c), Math.rint(d));
  }

  private static void setExact(double[] r, int o, double a, double b, double c, double d) {
    r[o] = a;
    r[o + 1] = b;
    r[o + 2] = c;
    r[o + 3] = d;
  }
}
