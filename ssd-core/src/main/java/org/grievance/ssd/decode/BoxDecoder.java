package org.grievance.ssd.decode;

import java.util.Objects;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.BoxCoder;
import org.grievance.ssd.box.BoxFormat;
import org.grievance.ssd.box.Boxes;

/**
 * Turns predicted offsets back into corner boxes, given the anchors and variances they were encoded
 * against: the {@link BoxCoder} inverse of the target encoding, then corners, then the pixel scale.
 *
 * <p>The result is multiplied by {@code (scaleX, scaleY)} (the image size when the anchors are
 * normalised) and never clipped to the image, as in the reference.
 */
public final class BoxDecoder {
  private final double[] anchors;
  private final BoxCoder coder;

  /**
   * @param anchors {@code N·4} anchor coordinates in {@code coords} layout (copied)
   * @param variances the 4 positive variances
   * @param coords layout of the anchors and of the offsets
   */
  public BoxDecoder(double[] anchors, double[] variances, BoxFormat coords) {
    Objects.requireNonNull(anchors, "anchors");
    Objects.requireNonNull(variances, "variances");
    Objects.requireNonNull(coords, "coords");
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
    this.coder = new BoxCoder(coords, variances);
    this.anchors = anchors.clone();
  }

  /** Number of anchors N. */
  public int size() {
    return anchors.length / 4;
  }

  /** Layout of the anchors and offsets. */
  public BoxFormat coords() {
    return coder.format();
  }

  /**
   * Decodes anchor {@code i} from {@code offsets[4i..4i+3]} into corners {@code out[outOff..+3]},
   * multiplying x by {@code scaleX} and y by {@code scaleY}.
   */
  public void decode(
      double[] offsets, int i, double scaleX, double scaleY, double[] out, int outOff) {
    int k = 4 * i;
    coder.decode(offsets, k, anchors, k, out, outOff);
    Boxes.convert(out, outOff, out, outOff, coder.format(), BoxFormat.CORNERS, BorderPixels.HALF);
    out[outOff] *= scaleX;
    out[outOff + 1] *= scaleY;
    out[outOff + 2] *= scaleX;
    out[outOff + 3] *= scaleY;
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
