package org.grievance.ssd.decode;

import java.util.Objects;
import org.grievance.ssd.box.BoxFormat;

/**
 * Turns predicted offsets back into corner boxes, given the anchors and variances they were encoded
 * against (the inverse of the target encoding).
 *
 * <ul>
 *   <li>{@code centroids}: {@code cx = t0·(v0·wa) + cxa}, {@code cy = t1·(v1·ha) + cya}, {@code w =
 *       exp(t2·v2)·wa}, {@code h = exp(t3·v3)·ha}, then corners {@code cx ∓ w/2, cy ∓ h/2}.
 *   <li>{@code corners}/{@code minmax}: every coordinate moves by {@code t·v} times the anchor's
 *       width (x values) or height (y values), in the offsets' own layout.
 * </ul>
 *
 * The result is multiplied by {@code (scaleX, scaleY)} (the image size when the anchors are
 * normalised) and never clipped to the image, as in the reference.
 */
public final class BoxDecoder {
  private final double[] anchors;
  private final double v0;
  private final double v1;
  private final double v2;
  private final double v3;
  private final BoxFormat coords;

  /**
   * @param anchors {@code N·4} anchor coordinates in {@code coords} layout (copied)
   * @param variances the 4 positive variances
   * @param coords layout of the anchors and of the offsets
   */
  public BoxDecoder(double[] anchors, double[] variances, BoxFormat coords) {
    Objects.requireNonNull(anchors, "anchors");
    Objects.requireNonNull(variances, "variances");
    this.coords = Objects.requireNonNull(coords, "coords");
    if (anchors.length % 4 != 0) {
      throw new IllegalArgumentException(
          "anchors must hold 4 numbers per anchor, but has length " + anchors.length);
    }
    for (int i = 0; i < anchors.length; i++) {
      if (!Double.isFinite(anchors[i])) {
        throw new IllegalArgumentException(
            "anchor " + i / 4 + " coordinate " + i % 4 + " is not finite: " + anchors[i]);
      }
    }
    if (variances.length != 4) {
      throw new IllegalArgumentException(
          "variances must hold 4 numbers, but has length " + variances.length);
    }
    for (int j = 0; j < 4; j++) {
      if (!(variances[j] > 0) || Double.isInfinite(variances[j])) {
        throw new IllegalArgumentException(
            "variances[" + j + "] must be positive and finite, got " + variances[j]);
      }
    }
    this.anchors = anchors.clone();
    this.v0 = variances[0];
    this.v1 = variances[1];
    this.v2 = variances[2];
    this.v3 = variances[3];
  }

  /** Number of anchors N. */
  public int size() {
    return anchors.length / 4;
  }

  /** Layout of the anchors and offsets. */
  public BoxFormat coords() {
    return coords;
  }

  /**
   * Decodes anchor {@code i} from {@code offsets[4i..4i+3]} into corners {@code out[outOff..+3]},
   * multiplying x by {@code scaleX} and y by {@code scaleY}.
   */
  public void decode(
      double[] offsets, int i, double scaleX, double scaleY, double[] out, int outOff) {
    int k = 4 * i;
    double t0 = offsets[k];
    double t1 = offsets[k + 1];
    double t2 = offsets[k + 2];
    double t3 = offsets[k + 3];
    double a0 = anchors[k];
    double a1 = anchors[k + 1];
    double a2 = anchors[k + 2];
    double a3 = anchors[k + 3];
    double xmin;
    double ymin;
    double xmax;
    double ymax;
    switch (coords) {
      case CENTROIDS -> {
        double cx = t0 * (v0 * a2) + a0;
        double cy = t1 * (v1 * a3) + a1;
        double w = Math.exp(t2 * v2) * a2;
        double h = Math.exp(t3 * v3) * a3;
        xmin = cx - w / 2;
        ymin = cy - h / 2;
        xmax = cx + w / 2;
        ymax = cy + h / 2;
      }
      case CORNERS -> {
        double aw = a2 - a0;
        double ah = a3 - a1;
        xmin = t0 * v0 * aw + a0;
        ymin = t1 * v1 * ah + a1;
        xmax = t2 * v2 * aw + a2;
        ymax = t3 * v3 * ah + a3;
      }
      case MINMAX -> {
        double aw = a1 - a0;
        double ah = a3 - a2;
        xmin = t0 * v0 * aw + a0;
        xmax = t1 * v1 * aw + a1;
        ymin = t2 * v2 * ah + a2;
        ymax = t3 * v3 * ah + a3;
      }
      default -> throw new IllegalStateException("unreachable");
    }
    out[outOff] = xmin * scaleX;
    out[outOff + 1] = ymin * scaleY;
    out[outOff + 2] = xmax * scaleX;
    out[outOff + 3] = ymax * scaleY;
  }

  /** Decodes every anchor: {@code N·4} corners. */
  public double[] decodeAll(double[] offsets, double scaleX, double scaleY) {
    requireOffsets(offsets);
    double[] out = new double[anchors.length];
    for (int i = 0; i < out.length / 4; i++) {
      decode(offsets, i, scaleX, scaleY, out, 4 * i);
    }
    return out;
  }

  void requireOffsets(double[] offsets) {
    if (offsets.length != anchors.length) {
      throw new IllegalArgumentException(
          "offsets must hold 4 numbers for each of the "
              + size()
              + " anchors ("
              + anchors.length
              + "), but has length "
              + offsets.length);
    }
  }
}
