package org.grievance.ssd.augment;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Zooms about the image centre by {@code factor}, keeping the size: {@code x' = f·x + (1−f)·W/2},
 * {@code y' = f·y + (1−f)·H/2} (OpenCV's {@code getRotationMatrix2D} with angle 0), bilinear with
 * the background colour outside. Box corners are mapped and rounded half to even, then filtered,
 * then clipped if {@code clipBoxes}. The inverter maps predictions back without rounding (the
 * reference has none).
 */
public record Scale(double factor, boolean clipBoxes, BoxFilter boxFilter, Background background)
    implements Transform {
  public Scale {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("scale factor must be > 0 and finite, got " + factor);
    }
    Objects.requireNonNull(background, "background");
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    int h = in.height();
    int w = in.width();
    double tx = (1 - factor) * (w / 2.0);
    double ty = (1 - factor) * (h / 2.0);
    var img = Resampler.warpScale(in.image(), factor, tx, factor, ty, background);
    double[][] labels =
        Labels.filterAndClip(mapLabels(in.labels(), factor, h, w), boxFilter, clipBoxes, h, w);
    double f = factor;
    Inverter inverter =
        Inverter.ofBoxMap(
            p -> {
              p[Inverter.BOX] = (p[Inverter.BOX] - tx) / f;
              p[Inverter.BOX + 1] = (p[Inverter.BOX + 1] - ty) / f;
              p[Inverter.BOX + 2] = (p[Inverter.BOX + 2] - tx) / f;
              p[Inverter.BOX + 3] = (p[Inverter.BOX + 3] - ty) / f;
            });
    return in.next(img, labels, inverter);
  }

  /** The 2×3 affine matrix {@code [[f, 0, tx], [0, f, ty]]} in row-major order. */
  public static double[] matrix(double factor, int height, int width) {
    return new double[] {
      factor, 0, (1 - factor) * (width / 2.0), 0, factor, (1 - factor) * (height / 2.0)
    };
  }

  /** New label rows with corners mapped and rounded half to even (no filter, no clip). */
  static double[][] mapLabels(double[][] labels, double factor, int h, int w) {
    double tx = (1 - factor) * (w / 2.0);
    double ty = (1 - factor) * (h / 2.0);
    double[][] out = Labels.copy(labels);
    for (double[] r : out) {
      r[Labels.XMIN] = Math.rint(factor * r[Labels.XMIN] + tx);
      r[Labels.XMAX] = Math.rint(factor * r[Labels.XMAX] + tx);
      r[Labels.YMIN] = Math.rint(factor * r[Labels.YMIN] + ty);
      r[Labels.YMAX] = Math.rint(factor * r[Labels.YMAX] + ty);
    }
    return out;
  }
}
