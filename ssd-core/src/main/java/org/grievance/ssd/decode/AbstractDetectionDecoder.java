package org.grievance.ssd.decode;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What both decoders share: input validation, the pixel scale, lazy box decoding, and the final
 * score sort with top-k.
 *
 * <p>The final sort is deliberate: the reference's {@code decode_detections} returns its top-k
 * unsorted ({@code argpartition}). The sort is stable, so equal scores keep the order in which the
 * decoder produced them (the reference's order): the rows stay primitive until the end and are
 * ranked by a {@link CandidateQueue} keyed by their insertion number, and only the {@code topK}
 * returned rows become {@link Detection} objects.
 */
abstract class AbstractDetectionDecoder implements DetectionDecoder {
  final BoxDecoder boxDecoder;
  final DecoderConfig config;
  final int numAnchors;
  private volatile String[] namesCache;

  AbstractDetectionDecoder(double[] anchors, double[] variances, DecoderConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.boxDecoder = new BoxDecoder(anchors, variances, config.coords());
    this.numAnchors = boxDecoder.size();
    if (numAnchors == 0) {
      throw new IllegalArgumentException("anchors must hold at least one anchor");
    }
  }

  /** The configuration. */
  public DecoderConfig config() {
    return config;
  }

  @Override
  public final List<Detection> decodeToFrame(
      double[] classScores,
      double[] offsets,
      int inputHeight,
      int inputWidth,
      int frameHeight,
      int frameWidth) {
    Objects.requireNonNull(classScores, "classScores");
    Objects.requireNonNull(offsets, "offsets");
    requirePositive("inputHeight", inputHeight);
    requirePositive("inputWidth", inputWidth);
    requirePositive("frameHeight", frameHeight);
    requirePositive("frameWidth", frameWidth);
    boxDecoder.requireOffsets(offsets);
    if (classScores.length % numAnchors != 0 || classScores.length / numAnchors < 2) {
      throw new IllegalArgumentException(
          "classScores must hold (C+1) >= 2 probabilities for each of the "
              + numAnchors
              + " anchors, but has length "
              + classScores.length);
    }
    int numColumns = classScores.length / numAnchors;
    int numClasses = numColumns - 1;
    int thresholds = config.classThresholds().size();
    if (thresholds != 0 && thresholds != numClasses) {
      throw new IllegalArgumentException(
          "classThresholds holds "
              + thresholds
              + " thresholds but the scores have "
              + numClasses
              + " object classes (plus background)");
    }
    int names = config.classNames().size();
    if (names != 0 && names != numClasses) {
      throw new IllegalArgumentException(
          "classNames holds "
              + names
              + " names but the scores have "
              + numClasses
              + " object classes (plus background)");
    }
    // Normalised anchors map straight onto the frame; pixel anchors are rescaled input→frame.
    double scaleX =
        config.normalizeCoords()
            ? frameWidth
            : frameWidth == inputWidth ? 1 : (double) frameWidth / inputWidth;
    double scaleY =
        config.normalizeCoords()
            ? frameHeight
            : frameHeight == inputHeight ? 1 : (double) frameHeight / inputHeight;
    Output out = new Output(offsets, scaleX, scaleY);
    collect(classScores, numColumns, out);
    return out.best(config.topK(), classNames(numClasses));
  }

  /** Finds the detections of one image and adds them to {@code out}. */
  abstract void collect(double[] classScores, int numColumns, Output out);

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  /** Names of classes 0..C (index 0 unused), built once per decoder and class count. */
  private String[] classNames(int numClasses) {
    String[] names = namesCache;
    if (names == null || names.length != numClasses + 1) {
      names = new String[numClasses + 1];
      for (int c = 1; c <= numClasses; c++) {
        names[c] = config.className(c);
      }
      namesCache = names;
    }
    return names;
  }

  /**
   * Per-call state: boxes decoded on demand (at most once per anchor) and the detections found, as
   * primitive rows until the final top-k.
   */
  final class Output {
    private final double[] offsets;
    private final double scaleX;
    private final double scaleY;
    private final double[] boxes;
    private final boolean[] decoded;
    private int[] classIds = new int[64];
    private int[] anchors = new int[64];
    private double[] scores = new double[64];
    private int count;

    Output(double[] offsets, double scaleX, double scaleY) {
      this.offsets = offsets;
      this.scaleX = scaleX;
      this.scaleY = scaleY;
      this.boxes = new double[4 * numAnchors];
      this.decoded = new boolean[numAnchors];
    }

    /** The corners of anchor {@code i}'s box start at {@code boxes()[4i]} after this call. */
    private double[] box(int i) {
      if (!decoded[i]) {
        boxDecoder.decode(offsets, i, scaleX, scaleY, boxes, 4 * i);
        decoded[i] = true;
      }
      return boxes;
    }

    /** Records a detection of class {@code classId} on anchor {@code anchor}'s box. */
    void add(int classId, double score, int anchor) {
      box(anchor);
      if (count == classIds.length) {
        int capacity = 2 * count;
        classIds = Arrays.copyOf(classIds, capacity);
        anchors = Arrays.copyOf(anchors, capacity);
        scores = Arrays.copyOf(scores, capacity);
      }
      classIds[count] = classId;
      anchors[count] = anchor;
      scores[count] = score;
      count++;
    }

    /** Offers anchor {@code i}'s box to {@code nms}. */
    boolean offer(GreedyNms nms, int anchor) {
      double[] b = box(anchor);
      int k = 4 * anchor;
      return nms.offer(b[k], b[k + 1], b[k + 2], b[k + 3]);
    }

    /**
     * The {@code topK} best detections by score; equal scores keep the order in which they were
     * added (the queue breaks ties by the lower id, here the insertion number).
     */
    List<Detection> best(int topK, String[] names) {
      CandidateQueue queue = new CandidateQueue(count);
      for (int r = 0; r < count; r++) {
        queue.add(r, scores[r]);
      }
      int size = Math.min(topK, count);
      Detection[] out = new Detection[size];
      for (int j = 0; j < size; j++) {
        int r = queue.poll();
        int k = 4 * anchors[r];
        int c = classIds[r];
        out[j] =
            new Detection(
                c, names[c], scores[r], boxes[k], boxes[k + 1], boxes[k + 2], boxes[k + 3]);
      }
      return List.of(out);
    }
  }
}
