package org.grievance.ssd.encode;

import java.util.Arrays;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.anchor.Anchors;
import org.grievance.ssd.box.BoxCoder;

/**
 * Turns the ground-truth boxes of one image into per-anchor training targets, with the reference's
 * matching: greedy bipartite matching first (every box gets its best free anchor), then, for {@link
 * MatchingType#MULTI}, every other anchor whose best IoU is {@code >= posIouThreshold}; unmatched
 * anchors whose best IoU is {@code >= negIouLimit} become neutral, the rest background. Offsets are
 * encoded per the anchors' {@code coords} with the variances.
 *
 * <p>Differences from the reference, all corrections of its quirks:
 *
 * <ul>
 *   <li>IoU applies the border delta d to the intersection too (see {@link
 *       org.grievance.ssd.box.Boxes}); with d ≠ 0 the IoU is taken in pixels between the box's own
 *       corners and the anchors (the reference widens the box by d through its centroid round trip
 *       and, when normalising, mixes pixels with image fractions).
 *   <li>The ground-truth width {@code xmax − xmin + d} is computed in pixels and then normalised;
 *       the reference adds d after normalising.
 *   <li>A box with no overlap with the image is rejected or dropped ({@link OutsideBoxPolicy}); in
 *       bipartite matching a box left without any overlapping free anchor stays unmatched. The
 *       reference instead re-matches box 0 to anchor 0 once every remaining IoU is zero.
 * </ul>
 *
 * With {@code border_pixels = half} and boxes inside the image the output equals the reference's.
 *
 * <p>The parts, each with one job: {@link LabelBoxes} checks the label rows and puts them in the
 * anchors' format and units; {@link AnchorMatcher} matches them to the anchors (the SSD matching
 * rules), searching the overlaps through an {@link AnchorIndex}; a {@link BoxCoder} encodes the
 * offsets of the positive anchors. Thread-safe: scratch buffers are per thread and reused, so
 * {@link #encodeInto} allocates nothing once warm (one encoder can serve every loader thread).
 */
public final class SsdInputEncoder {
  private final EncoderConfig config;
  private final BoxCoder coder;
  private final int imageHeight;
  private final int imageWidth;
  private final int n;

  /** Anchors in the configured format and units: the reference for the offsets. */
  private final double[] anchorBoxes;

  private final AnchorMatcher matcher;
  private final ThreadLocal<Scratch> scratch;

  public SsdInputEncoder(Anchors anchors, EncoderConfig config) {
    this.config = config;
    AnchorConfig ac = anchors.config();
    this.coder = new BoxCoder(ac.coords(), anchors.variances());
    this.imageHeight = ac.imageHeight();
    this.imageWidth = ac.imageWidth();
    this.n = anchors.count();
    this.anchorBoxes = anchors.boxes();
    this.matcher =
        new AnchorMatcher(new AnchorIndex(anchors, config.borderPixels().delta()), config);
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(new LabelBoxes(ac, config)));
  }

  public EncoderConfig config() {
    return config;
  }

  /** Number of anchors N, the length of the class output. */
  public int anchorCount() {
    return n;
  }

  /** Height of the model input (pixels) that the anchors, and so the labels, refer to. */
  public int imageHeight() {
    return imageHeight;
  }

  /** Width of the model input (pixels) that the anchors, and so the labels, refer to. */
  public int imageWidth() {
    return imageWidth;
  }

  /**
   * Encodes one image's labels: rows of 5 {@code (class_id, xmin, ymin, xmax, ymax)} in absolute
   * input-image pixels. An empty array gives all background.
   *
   * @throws InvalidBoxException for a non-finite value, a class id outside {@code 1..nClasses}, a
   *     degenerate box, or (with {@link OutsideBoxPolicy#REJECT}) a box outside the image
   */
  public EncodedTargets encode(double[] labels) {
    int[] classes = new int[n];
    float[] offsets = new float[4 * n];
    int positives = encodeInto(labels, classes, 0, offsets, 0);
    int neutrals = 0;
    for (int c : classes) {
      if (c == EncodedTargets.NEUTRAL) {
        neutrals++;
      }
    }
    return new EncodedTargets(classes, offsets, positives, neutrals);
  }

  /**
   * Encodes into caller-owned buffers (e.g. one slot of a training batch): {@code N} class ids at
   * {@code classOut[classOffset..]} and {@code 4·N} offsets at {@code offsetsOut[offsetsOffset..]};
   * both ranges are fully overwritten. Labels are validated before anything is written.
   *
   * @return the number of positive anchors
   */
  public int encodeInto(
      double[] labels, int[] classOut, int classOffset, float[] offsetsOut, int offsetsOffset) {
    if (labels.length % 5 != 0) {
      throw new IllegalArgumentException(
          "labels must hold 5 numbers per box (class_id, xmin, ymin, xmax, ymax), but has length "
              + labels.length);
    }
    if (classOffset < 0 || classOffset + n > classOut.length) {
      throw new IllegalArgumentException(
          "classOut has no room for " + n + " anchors at offset " + classOffset);
    }
    if (offsetsOffset < 0 || offsetsOffset + 4 * n > offsetsOut.length) {
      throw new IllegalArgumentException(
          "offsetsOut has no room for " + 4 * n + " values at offset " + offsetsOffset);
    }
    Scratch s = scratch.get();
    LabelBoxes boxes = s.labelBoxes;
    int k = boxes.read(labels);
    Arrays.fill(classOut, classOffset, classOffset + n, config.backgroundId());
    Arrays.fill(offsetsOut, offsetsOffset, offsetsOffset + 4 * n, 0f);
    if (k == 0) {
      return 0;
    }
    AnchorMatcher.Matches m = matcher.match(boxes.iouCorners(), k);
    for (int i = 0; i < m.positives(); i++) {
      int a = m.positiveAnchor(i);
      int g = m.positiveBox(i);
      classOut[classOffset + a] = boxes.classId(g);
      coder.encode(boxes.targets(), 4 * g, anchorBoxes, 4 * a, s.offsets, 0);
      int o = offsetsOffset + 4 * a;
      for (int j = 0; j < 4; j++) {
        offsetsOut[o + j] = (float) s.offsets[j];
      }
    }
    for (int i = 0; i < m.neutrals(); i++) {
      classOut[classOffset + m.neutralAnchor(i)] = EncodedTargets.NEUTRAL;
    }
    return m.positives();
  }

  /** Per-thread working memory of {@link #encodeInto}. */
  private static final class Scratch {
    final LabelBoxes labelBoxes;

    /** One anchor's offsets in double precision, before they are rounded to float. */
    final double[] offsets = new double[4];

    Scratch(LabelBoxes labelBoxes) {
      this.labelBoxes = labelBoxes;
    }
  }
}
