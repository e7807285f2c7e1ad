package org.grievance.ssd.decode;

/**
 * The reference's {@code decode_detections_fast}: each anchor takes its most probable class over
 * all C+1 columns (the first on ties); anchors whose best class is the background are dropped even
 * if an object class passes the threshold; the rest need a score {@code >=} the confidence
 * threshold (non-strict, as the reference — unlike {@link PerClassNmsDecoder}, its quirk
 * docs/reference-behaviour.md#quirk-14-the-fast-decoders-threshold is kept so both decoders match
 * their reference functions; with {@link DecoderConfig#classThresholds()}, the threshold of the
 * anchor's best class); one class-agnostic greedy NMS follows, unless the IoU threshold is 0 (the
 * reference's 0/None disables NMS); then the {@code topK} best.
 *
 * <p>Output order: by score, descending; equal scores keep the NMS pick order (anchor index), or
 * the anchor order when NMS is disabled. With a finite {@code topK} NMS stops after {@code topK}
 * kept boxes: the kept boxes come in score order, so later ones could never reach the top-k.
 */
public final class GlobalNmsDecoder extends AbstractDetectionDecoder {
  private final boolean earlyStop;

  /**
   * @param anchors {@code N·4} anchors in {@code config.coords()} layout
   * @param variances the 4 variances the offsets were encoded with
   */
  public GlobalNmsDecoder(double[] anchors, double[] variances, DecoderConfig config) {
    this(anchors, variances, config, true);
  }

  /** With {@code earlyStop = false} NMS runs to the end (tests the shortcut). */
  GlobalNmsDecoder(double[] anchors, double[] variances, DecoderConfig config, boolean earlyStop) {
    super(anchors, variances, config);
    this.earlyStop = earlyStop;
  }

  /** Whether NMS runs at all. */
  public boolean nmsEnabled() {
    return config.iouThreshold() != 0;
  }

  @Override
  void collect(double[] classScores, int numColumns, Output out) {
    double[] threshold = new double[numColumns];
    for (int c = 1; c < numColumns; c++) {
      threshold[c] = config.confidenceThreshold(c);
    }
    int[] bestClass = new int[numAnchors];
    CandidateQueue queue = new CandidateQueue(256);
    for (int i = 0; i < numAnchors; i++) {
      int row = i * numColumns;
      int best = 0;
      double bestScore = classScores[row];
      for (int c = 1; c < numColumns; c++) {
        double s = classScores[row + c];
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      if (best != 0 && bestScore >= threshold[best]) {
        bestClass[i] = best;
        if (nmsEnabled()) {
          queue.add(i, bestScore);
        } else {
          out.add(best, bestScore, i);
        }
      }
    }
    if (!nmsEnabled()) {
      return;
    }
    int maxKept = earlyStop ? config.topK() : Integer.MAX_VALUE;
    GreedyNms nms = new GreedyNms(config.iouThreshold(), config.borderPixels());
    while (!queue.isEmpty() && nms.size() < maxKept) {
      int anchor = queue.poll();
      if (out.offer(nms, anchor)) {
        int c = bestClass[anchor];
        out.add(c, classScores[anchor * numColumns + c], anchor);
      }
    }
  }
}
