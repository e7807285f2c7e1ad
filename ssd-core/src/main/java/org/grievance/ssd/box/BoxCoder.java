package org.grievance.ssd.box;

import java.util.Objects;

/**
 * The SSD box encoding: a box as four offsets relative to an anchor, scaled by the variances, and
 * its inverse. Both directions live here so that they stay each other's inverse; the input encoder
 * uses {@link #encode}, the detection decoders {@link #decode}.
 *
 * <p>Boxes, anchors and offsets are all in the coder's {@link #format() format}, four consecutive
 * numbers each:
 *
 * <ul>
 *   <li>{@code centroids}: {@code t0 = (cx − cxa) / (wa·v0)}, {@code t1 = (cy − cya) / (ha·v1)},
 *       {@code t2 = ln(w / wa) / v2}, {@code t3 = ln(h / ha) / v3}.
 *   <li>{@code corners}/{@code minmax}: each coordinate minus the anchor's, divided by the anchor's
 *       width (x values) or height (y values) and by its variance, in the format's own order.
 * </ul>
 *
 * The arithmetic is the reference's, term for term, so that encoded targets and decoded boxes match
 * its values bit for bit. Immutable, thread-safe and allocation-free.
 */
public final class BoxCoder {
  private final BoxFormat format;
  private final double v0;
  private final double v1;
  private final double v2;
  private final double v3;

  /**
   * @param format layout of the boxes, the anchors and the offsets
   * @param variances the 4 positive, finite variances {@code (v0, v1, v2, v3)}
   */
  public BoxCoder(BoxFormat format, double[] variances) {
    this.format = Objects.requireNonNull(format, "format");
    Objects.requireNonNull(variances, "variances");
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
    this.v0 = variances[0];
    this.v1 = variances[1];
    this.v2 = variances[2];
    this.v3 = variances[3];
  }

  /** Layout of the boxes, anchors and offsets. */
  public BoxFormat format() {
    return format;
  }

  /** The variances {@code (v0, v1, v2, v3)} (a copy). */
  public double[] variances() {
    return new double[] {v0, v1, v2, v3};
  }

  /**
   * Encodes the box at {@code boxes[boxOff..+3]} relative to the anchor at {@code
   * anchors[anchorOff..+3]} into the offsets {@code out[outOff..+3]}.
   */
  public void encode(
      double[] boxes, int boxOff, double[] anchors, int anchorOff, double[] out, int outOff) {
    double b0 = boxes[boxOff];
    double b1 = boxes[boxOff + 1];
    double b2 = boxes[boxOff + 2];
    double b3 = boxes[boxOff + 3];
    double a0 = anchors[anchorOff];
    double a1 = anchors[anchorOff + 1];
    double a2 = anchors[anchorOff + 2];
    double a3 = anchors[anchorOff + 3];
    switch (format) {
      case CENTROIDS -> {
        out[outOff] = (b0 - a0) / (a2 * v0);
        out[outOff + 1] = (b1 - a1) / (a3 * v1);
        out[outOff + 2] = Math.log(b2 / a2) / v2;
        out[outOff + 3] = Math.log(b3 / a3) / v3;
      }
      case CORNERS -> {
        double w = a2 - a0;
        double h = a3 - a1;
        out[outOff] = (b0 - a0) / w / v0;
        out[outOff + 1] = (b1 - a1) / h / v1;
        out[outOff + 2] = (b2 - a2) / w / v2;
        out[outOff + 3] = (b3 - a3) / h / v3;
      }
      case MINMAX -> {
        double w = a1 - a0;
        double h = a3 - a2;
        out[outOff] = (b0 - a0) / w / v0;
        out[outOff + 1] = (b1 - a1) / w / v1;
        out[outOff + 2] = (b2 - a2) / h / v2;
        out[outOff + 3] = (b3 - a3) / h / v3;
      }
      default -> throw new IllegalStateException("unreachable");
    }
  }

  /**
   * Decodes the offsets at {@code offsets[offsetOff..+3]} relative to the anchor at {@code
   * anchors[anchorOff..+3]} into the box {@code out[outOff..+3]}, in the coder's format. {@code
   * out} may be {@code offsets} (same range).
   */
  public void decode(
      double[] offsets, int offsetOff, double[] anchors, int anchorOff, double[] out, int outOff) {
    double t0 = offsets[offsetOff];
    double t1 = offsets[offsetOff + 1];
    double t2 = offsets[offsetOff + 2];
    double t3 = offsets[offsetOff + 3];
    double a0 = anchors[anchorOff];
    double a1 = anchors[anchorOff + 1];
    double a2 = anchors[anchorOff + 2];
    double a3 = anchors[anchorOff + 3];
    switch (format) {
      case CENTROIDS -> {
        out[outOff] = t0 * (v0 * a2) + a0;
        out[outOff + 1] = t1 * (v1 * a3) + a1;
        out[outOff + 2] = Math.exp(t2 * v2) * a2;
        out[outOff + 3] = Math.exp(t3 * v3) * a3;
      }
      case CORNERS -> {
        double w = a2 - a0;
        double h = a3 - a1;
        out[outOff] = t0 * v0 * w + a0;
        out[outOff + 1] = t1 * v1 * h + a1;
        out[outOff + 2] = t2 * v2 * w + a2;
        out[outOff + 3] = t3 * v3 * h + a3;
      }
      case MINMAX -> {
        double w = a1 - a0;
        double h = a3 - a2;
        out[outOff] = t0 * v0 * w + a0;
        out[outOff + 1] = t1 * v1 * w + a1;
        out[outOff + 2] = t2 * v2 * h + a2;
        out[outOff + 3] = t3 * v3 * h + a3;
      }
      default -> throw new IllegalStateException("unreachable");
    }
  }
}
