package org.grievance.ssd.decode;

/**
 * The reference's {@code decode_detections} ("Caffe style"): for each object class 1..C in turn,
 * every anchor whose probability for that class is strictly greater than the confidence threshold
 * (the class's own when {@link DecoderConfig#classThresholds()} has one) is a candidate; greedy NMS
 * runs per class; the survivors of all classes are merged and the {@code topK} best kept.
 *
 * <p>Output order: by score, descending; equal scores keep the reference's concatenation order
 * (class id, then NMS pick order). The reference itself leaves a truncated top-k unsorted.
 *
 * <p>Early stop (exact): with a finite {@code topK} a class stops after {@code topK} kept boxes.
 * Any later box of that class has a score no higher than those {@code topK} boxes and, on a tie,
 * comes after them in the stable final order, so at least {@code topK} detections always rank
 * before it and it could never be in the output.
 */
public final class PerClassNmsDecoder extends AbstractDetectionDecoder {
  private final boolean earlyStop;

  /**
   * @param anchors {@code N·4} anchors in {@code config.coords()} layout
   * @param variances the 4 variances the offsets were encoded with
   */
  public PerClassNmsDecoder(double[] anchors, double[] variances, DecoderConfig config) {
    this(anchors, variances, config, true);
  }

  /** With {@code earlyStop = false} every class runs NMS to the end (tests the shortcut). */
  PerClassNmsDecoder(
      double[] anchors, double[] variances, DecoderConfig config, boolean earlyStop) {
    super(anchors, variances, config);
    this.earlyStop = earlyStop;
  }

  @Override
  void collect(double[] classScores, int numColumns, Output out) {
    int maxKept = earlyStop ? config.topK() : Integer.MAX_VALUE;
    CandidateQueue queue = new CandidateQueue(256);
    GreedyNms nms = new GreedyNms(config.iouThreshold(), config.borderPixels());
    for (int c = 1; c < numColumns; c++) {
      double threshold = config.confidenceThreshold(c);
      queue.clear();
      for (int i = 0, k = c; i < numAnchors; i++, k += numColumns) {
        double score = classScores[k];
        if (score > threshold) {
          queue.add(i, score);
        }
      }
      nms.reset();
      while (!queue.isEmpty() && nms.size() < maxKept) {
        int anchor = queue.poll();
        if (out.offer(nms, anchor)) {
          out.add(c, classScores[anchor * numColumns + c], anchor);
        }
      }
    }
  }
}
