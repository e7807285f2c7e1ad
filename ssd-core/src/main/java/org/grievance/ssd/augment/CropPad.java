package org.grievance.ssd.augment;

import java.util.Objects;
import java.util.random.RandomGenerator;
import org.grievance.ssd.image.RgbImage;

/**
 * Cuts the patch {@code [patchYmin, patchYmin + patchHeight) × [patchXmin, patchXmin + patchWidth)}
 * out of the image; negative offsets or a patch larger than the image pad with the background
 * colour ({@code canvas[y − ymin][x − xmin] = image[y][x]} where both exist). Labels shift by
 * {@code (−xmin, −ymin)}, are filtered (patch size), then clipped to {@code [0, pw−1] × [0, ph−1]}
 * if {@code clipBoxes}. The inverter adds the offsets back to predictions.
 *
 * <p>Bug fixed (docs/reference-behaviour.md#quirk-7-patch-ops-need-labels): works without labels
 * (the reference crashes).
 */
public record CropPad(
    int patchYmin,
    int patchXmin,
    int patchHeight,
    int patchWidth,
    boolean clipBoxes,
    BoxFilter boxFilter,
    Background background)
    implements Transform {
  public CropPad {
    if (patchHeight <= 0 || patchWidth <= 0) {
      throw new IllegalArgumentException(
          "patch size must be positive, got " + patchHeight + "x" + patchWidth + " (HxW)");
    }
    Objects.requireNonNull(background, "background");
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    int h = in.height();
    int w = in.width();
    if (patchYmin > h || patchXmin > w) {
      throw new IllegalArgumentException(
          "patch origin (ymin="
              + patchYmin
              + ", xmin="
              + patchXmin
              + ") lies beyond the "
              + h
              + "x"
              + w
              + " image");
    }
    RgbImage img = crop(in.image(), patchYmin, patchXmin, patchHeight, patchWidth, background);
    double[][] labels =
        Labels.filterAndClip(
            Labels.shift(in.labels(), -patchXmin, -patchYmin),
            boxFilter,
            clipBoxes,
            patchHeight,
            patchWidth);
    int dy = patchYmin;
    int dx = patchXmin;
    Inverter inverter =
        Inverter.ofBoxMap(
            p -> {
              p[Inverter.BOX] += dx;
              p[Inverter.BOX + 1] += dy;
              p[Inverter.BOX + 2] += dx;
              p[Inverter.BOX + 3] += dy;
            });
    return in.next(img, labels, inverter);
  }

  static RgbImage crop(RgbImage src, int ymin, int xmin, int ph, int pw, Background background) {
    int h = src.height();
    int w = src.width();
    byte[] out = background.fill(ph, pw);
    // Overlap in image coordinates.
    int x0 = Math.max(0, xmin);
    int x1 = Math.min(w, xmin + pw);
    int y0 = Math.max(0, ymin);
    int y1 = Math.min(h, ymin + ph);
    if (x1 > x0) {
      byte[] s = src.data();
      int len = (x1 - x0) * 3;
      for (int y = y0; y < y1; y++) {
        System.arraycopy(s, (y * w + x0) * 3, out, ((y - ymin) * pw + (x0 - xmin)) * 3, len);
      }
    }
    return new RgbImage(ph, pw, out);
  }
}
