package org.grievance.ssd.encode;

import java.util.Arrays;

/**
 * SSD matching of one image's ground-truth boxes to the anchors, as in the reference:
 *
 * <ol>
 *   <li>Bipartite: repeatedly the box with the highest IoU to a free anchor takes that anchor (the
 *       first box, then the lowest anchor index, on ties), so every box gets its own anchor. A box
 *       left without any overlapping free anchor stays unmatched; the reference instead re-matches
 *       box 0 to anchor 0 once every remaining IoU is zero (a corrected quirk).
 *   <li>Multi ({@link MatchingType#MULTI} only): every other anchor whose best IoU is {@code >=
 *       posIouThreshold} becomes positive for the box it overlaps most (the first such box on
 *       ties).
 *   <li>Neutral: an anchor still unmatched whose best IoU is {@code >= negIouLimit} is ignored by
 *       the loss; every other anchor is background.
 * </ol>
 *
 * <p>Speed: IoUs below a cutoff can change nothing but a bipartite argmax, so each box's IoU row is
 * first taken from the {@link AnchorIndex} bounded by that cutoff, and rebuilt in full only when
 * the box's best anchor in it falls below the cutoff (a small or thin box, or one whose best
 * anchors other boxes took). Per-box best anchors are kept and recomputed only when another box
 * takes them.
 *
 * <p>Thread-safe: the working memory is per thread and reused, so {@link #match} allocates nothing
 * once warm.
 */
final class AnchorMatcher {
  private final AnchorIndex index;
  private final boolean multi;
  private final double posIouThreshold;
  private final double negIouLimit;

  /** IoUs below this can change nothing but a bipartite argmax. */
  private final double cutoff;

  private final ThreadLocal<State> state;

  AnchorMatcher(AnchorIndex index, EncoderConfig config) {
    this.index = index;
    this.multi = config.matchingType() == MatchingType.MULTI;
    this.posIouThreshold = config.posIouThreshold();
    this.negIouLimit = config.negIouLimit();
    this.cutoff = multi ? Math.min(posIouThreshold, negIouLimit) : negIouLimit;
    int n = index.size();
    this.state = ThreadLocal.withInitial(() -> new State(n));
  }

  /**
   * Matches {@code k >= 1} boxes, given by their IoU-space corners {@code (xmin, ymin, xmax, ymax)}
   * at {@code boxes[4g..4g+3]} (see {@link AnchorIndex}), to the anchors.
   *
   * @return the matches, part of this thread's working memory: valid until its next call
   */
  Matches match(double[] boxes, int k) {
    State s = state.get();
    s.ensureBoxes(k);
    s.matches.positives = 0;
    s.matches.neutrals = 0;
    computeOverlaps(boxes, k, s);
    matchBipartite(boxes, k, s);
    matchTheRest(s);
    return s.matches;
  }

  /** The IoU row of every box, bounded by the cutoff where that cannot change the outcome. */
  private void computeOverlaps(double[] boxes, int k, State s) {
    s.rows.size = 0;
    for (int g = 0; g < k; g++) {
      s.matched[g] = false;
      buildRow(boxes, g, cutoff, s);
      if (!(s.boxBestIou[g] >= cutoff)) {
        buildRow(boxes, g, 0, s);
      }
    }
  }

  /**
   * (Re)builds box g's row at the end of the pool from the anchors that can reach {@code minIou},
   * and updates the best anchor of the box and the best box of each anchor in it.
   */
  private void buildRow(double[] boxes, int g, double minIou, State s) {
    int start = s.rows.size;
    int o = 4 * g;
    index.overlaps(boxes[o], boxes[o + 1], boxes[o + 2], boxes[o + 3], minIou, s.rows);
    int end = s.rows.size;
    s.rowStart[g] = start;
    s.rowEnd[g] = end;
    s.pruned[g] = minIou > 0;
    int[] rowAnchor = s.rows.anchor;
    double[] rowIou = s.rows.iou;
    double[] anchorBestIou = s.anchorBestIou;
    int[] anchorBestBox = s.anchorBestBox;
    int[] touched = s.touched;
    int touchedCount = s.touchedCount;
    double best = 0;
    int bestAnchor = -1;
    for (int j = start; j < end; j++) {
      int a = rowAnchor[j];
      double iou = rowIou[j];
      if (iou > best || (iou == best && a < bestAnchor)) {
        best = iou;
        bestAnchor = a;
      }
      double prev = anchorBestIou[a];
      if (iou > prev) {
        if (prev == 0) {
          touched[touchedCount++] = a;
        }
        anchorBestIou[a] = iou;
        anchorBestBox[a] = g;
      }
    }
    s.touchedCount = touchedCount;
    s.boxBestIou[g] = best;
    s.boxBestAnchor[g] = bestAnchor;
  }

  /**
   * Greedy bipartite matching: repeatedly the box with the highest IoU to a free anchor takes it.
   * Boxes that lost their best anchor look for the next one in their own row.
   */
  private void matchBipartite(double[] boxes, int k, State s) {
    for (int round = 0; round < k; round++) {
      int g = -1;
      double best = 0;
      for (int i = 0; i < k; i++) {
        if (!s.matched[i] && s.boxBestIou[i] > best) {
          best = s.boxBestIou[i];
          g = i;
        }
      }
      if (g < 0) {
        break; // corrected quirk: nothing overlaps any more, leave the rest unmatched
      }
      int a = s.boxBestAnchor[g];
      s.matched[g] = true;
      s.taken[a] = g;
      s.matches.addPositive(a, g);
      for (int i = 0; i < k; i++) {
        if (!s.matched[i] && s.boxBestAnchor[i] == a) {
          rescan(boxes, i, s);
        }
      }
    }
  }

  /** Best free anchor of box g; rebuilds its row in full if anchors left out could now win. */
  private void rescan(double[] boxes, int g, State s) {
    bestFree(g, s);
    if (s.pruned[g] && !(s.boxBestIou[g] >= cutoff)) {
      buildRow(boxes, g, 0, s);
      bestFree(g, s);
    }
  }

  private static void bestFree(int g, State s) {
    double best = 0;
    int bestAnchor = -1;
    for (int j = s.rowStart[g]; j < s.rowEnd[g]; j++) {
      int a = s.rows.anchor[j];
      double iou = s.rows.iou[j];
      if (s.taken[a] < 0 && (iou > best || (iou == best && a < bestAnchor))) {
        best = iou;
        bestAnchor = a;
      }
    }
    s.boxBestIou[g] = best;
    s.boxBestAnchor[g] = bestAnchor;
  }

  /**
   * Multi matching and neutral anchors among the anchors that any box overlaps (all others are
   * background); clears their per-anchor state for the next image on the way.
   */
  private void matchTheRest(State s) {
    for (int t = 0; t < s.touchedCount; t++) {
      int a = s.touched[t];
      if (s.taken[a] < 0) {
        double best = s.anchorBestIou[a];
        if (multi && best >= posIouThreshold) {
          s.matches.addPositive(a, s.anchorBestBox[a]);
        } else if (best >= negIouLimit) {
          s.matches.addNeutral(a);
        }
      }
      s.anchorBestIou[a] = 0;
      s.taken[a] = -1;
    }
    s.touchedCount = 0;
  }

  /**
   * The outcome of matching one image: the positive anchors, each with the box it encodes, and the
   * neutral anchors. Every other anchor is background.
   */
  static final class Matches {
    private final int[] positiveAnchor;
    private final int[] positiveBox;
    private final int[] neutralAnchor;
    private int positives;
    private int neutrals;

    private Matches(int n) {
      positiveAnchor = new int[n];
      positiveBox = new int[n];
      neutralAnchor = new int[n];
    }

    int positives() {
      return positives;
    }

    /** Anchor of the {@code i}-th positive match. */
    int positiveAnchor(int i) {
      return positiveAnchor[i];
    }

    /** Box (index into the matched boxes) of the {@code i}-th positive match. */
    int positiveBox(int i) {
      return positiveBox[i];
    }

    int neutrals() {
      return neutrals;
    }

    int neutralAnchor(int i) {
      return neutralAnchor[i];
    }

    private void addPositive(int anchor, int box) {
      positiveAnchor[positives] = anchor;
      positiveBox[positives] = box;
      positives++;
    }

    private void addNeutral(int anchor) {
      neutralAnchor[neutrals++] = anchor;
    }
  }

  /**
   * Reusable per-thread working memory. Dense per-anchor arrays are reset through the list of the
   * anchors touched, so an image costs in proportion to its overlaps, not to N.
   */
  private static final class State {
    final double[] anchorBestIou;
    final int[] anchorBestBox;

    /** Box that took the anchor in bipartite matching, −1 while free. */
    final int[] taken;

    final int[] touched;
    int touchedCount;
    final SparseIous rows = new SparseIous();
    final Matches matches;
    double[] boxBestIou = new double[0];
    int[] boxBestAnchor = new int[0];
    boolean[] matched = new boolean[0];
    int[] rowStart = new int[0];
    int[] rowEnd = new int[0];

    /** Whether the box's row was built bounded by the cutoff. */
    boolean[] pruned = new boolean[0];

    State(int n) {
      anchorBestIou = new double[n];
      anchorBestBox = new int[n];
      taken = new int[n];
      Arrays.fill(taken, -1);
      touched = new int[n];
      matches = new Matches(n);
    }

    void ensureBoxes(int k) {
      if (matched.length >= k) {
        return;
      }
      int cap = Math.max(k, 2 * matched.length);
      boxBestIou = new double[cap];
      boxBestAnchor = new int[cap];
      matched = new boolean[cap];
      rowStart = new int[cap];
      rowEnd = new int[cap];
      pruned = new boolean[cap];
    }
  }
}
