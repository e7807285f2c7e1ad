package org.grievance.ssd.augment;

import java.util.Objects;
import java.util.random.RandomGenerator;
import org.grievance.ssd.image.RgbImage;

/**
 * Resizes to {@code height × width}; label y's are multiplied by {@code out_h/in_h} and x's by
 * {@code out_w/in_w}, each rounded half to even; then the optional box filter (output size). The
 * inverter multiplies prediction coordinates by {@code in/out} and rounds them too, as the
 * reference does.
 */
public record Resize(int height, int width, Interpolation interpolation, BoxFilter boxFilter)
    implements Transform {
  public Resize {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "resize target must be positive, got " + height + "x" + width + " (HxW)");
    }
    Objects.requireNonNull(interpolation, "interpolation");
  }

  /** Bilinear, no box filter. */
  public Resize(int height, int width) {
    this(height, width, Interpolation.LINEAR, null);
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    return resize(in, interpolation);
  }

  Labeled resize(Labeled in, Interpolation mode) {
    int inH = in.height();
    int inW = in.width();
    RgbImage img =
        inH == height && inW == width
            ? in.image()
            : Resampler.resize(in.image(), height, width, mode);
    double ry = (double) height / inH;
    double rx = (double) width / inW;
    double[][] labels = Labels.copy(in.labels());
    for (double[] row : labels) {
      row[Labels.XMIN] = Math.rint(row[Labels.XMIN] * rx);
      row[Labels.XMAX] = Math.rint(row[Labels.XMAX] * rx);
      row[Labels.YMIN] = Math.rint(row[Labels.YMIN] * ry);
      row[Labels.YMAX] = Math.rint(row[Labels.YMAX] * ry);
    }
    if (boxFilter != null) {
      labels = boxFilter.filter(labels, height, width);
    }
    double ix = (double) inW / width;
    double iy = (double) inH / height;
    Inverter inverter =
        Inverter.ofBoxMap(
            p -> {
              p[Inverter.BOX] = Math.rint(p[Inverter.BOX] * ix);
              p[Inverter.BOX + 1] = Math.rint(p[Inverter.BOX + 1] * iy);
              p[Inverter.BOX + 2] = Math.rint(p[Inverter.BOX + 2] * ix);
              p[Inverter.BOX + 3] = Math.rint(p[Inverter.BOX + 3] * iy);
            });
    return in.next(img, labels, inverter);
  }
}
