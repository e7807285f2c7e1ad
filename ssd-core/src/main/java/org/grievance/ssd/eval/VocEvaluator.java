package org.grievance.ssd.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pascal VOC detection evaluation with the semantics of the official devkit ({@code voc_eval} /
 * {@code voc_ap} of py-faster-rcnn, the Matlab devkit's {@code VOCevaldet}); numbers equal the
 * devkit's bit for bit.
 *
 * <p>Per class, detections are processed in descending score order (stable: equal scores keep their
 * input order). Each is compared with the same-class ground-truth box of highest IoU in its image
 * (first on ties), where IoU uses inclusive pixel borders: +1 on the intersection sides and on both
 * boxes' sides, also for fractional coordinates. If that IoU is strictly above the threshold: a
 * difficult box makes the detection neither true nor false positive (it keeps its slot in the
 * precision/recall arrays, as in the devkit); an untaken box makes it a true positive; an
 * already-taken box makes it a false positive (no fall-back to the next-best box). Otherwise, and
 * for images without ground truth of that class, it is a false positive. Difficult boxes do not
 * count as positives.
 *
 * <p>This deliberately differs from the Keras SSD reference evaluator, whose quirks
 * (docs/reference-behaviour.md#known-quirks) are corrected here: its IoU ignores the +1 on the
 * intersection (quirk 1), it accepts IoU equal to the threshold, its 'integrate' mode is not the
 * VOC2010 formula (quirk 5), and its mAP averages in classes without ground truth. Here a class
 * without ground truth has AP {@code NaN} ("no ground truth") and is left out of the mean; a class
 * with ground truth but no detections has AP 0.
 */
public final class VocEvaluator {
  /** {@code np.finfo(np.float64).eps}: the devkit's floor for the precision denominator. */
  private static final double EPS = Math.ulp(1.0);

  private final ApMetric metric;
  private final double iouThreshold;

  /** VOC evaluation with the usual IoU threshold 0.5. */
  public VocEvaluator(ApMetric metric) {
    this(metric, 0.5);
  }

  /** VOC2007 11-point AP at IoU 0.5 (the SSD paper's VOC2007 test protocol). */
  public VocEvaluator() {
    this(ApMetric.VOC07_11_POINT, 0.5);
  }

  public VocEvaluator(ApMetric metric, double iouThreshold) {
    this.metric = Objects.requireNonNull(metric, "metric");
    if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
      throw new IllegalArgumentException("iouThreshold must be in [0, 1] but is " + iouThreshold);
    }
    this.iouThreshold = iouThreshold;
  }

  public ApMetric metric() {
    return metric;
  }

  public double iouThreshold() {
    return iouThreshold;
  }

  /**
   * Scores {@code detections} against {@code groundTruth}.
   *
   * @param classNames name of class id {@code i + 1} at index {@code i}
   * @throws IllegalArgumentException for a box whose class id exceeds {@code classNames.size()}
   */
  public VocEvaluation evaluate(
      List<String> classNames, List<GroundTruthBox> groundTruth, List<ScoredDetection> detections) {
    int numClasses = classNames.size();
    for (int i = 0; i < numClasses; i++) {
      Objects.requireNonNull(classNames.get(i), "classNames[" + i + "]");
    }
    ImageIndex images = new ImageIndex();
    int numGt = groundTruth.size();
    int[] gtImage = new int[numGt];
    int[] gtClass = new int[numGt];
    for (int g = 0; g < numGt; g++) {
      GroundTruthBox b = groundTruth.get(g);
      checkClass(b.classId(), numClasses, "ground truth box " + g + " (image " + b.imageId() + ")");
      gtClass[g] = b.classId() - 1;
      gtImage[g] = images.indexOf(b.imageId());
    }
    int numDet = detections.size();
    int[] detImage = new int[numDet];
    int[] detClass = new int[numDet];
    for (int d = 0; d < numDet; d++) {
      ScoredDetection s = detections.get(d);
      checkClass(s.classId(), numClasses, "detection " + d + " (image " + s.imageId() + ")");
      detClass[d] = s.classId() - 1;
      detImage[d] = images.indexOf(s.imageId());
    }
    int numImages = images.size();

    // Ground truth grouped by (class, image), input order kept inside a group (counting sort).
    int[] cellStart = new int[numClasses * numImages + 1];
    for (int g = 0; g < numGt; g++) {
      cellStart[gtClass[g] * numImages + gtImage[g] + 1]++;
    }
    for (int i = 1; i < cellStart.length; i++) {
      cellStart[i] += cellStart[i - 1];
    }
    double[] gx0 = new double[numGt];
    double[] gy0 = new double[numGt];
    double[] gx1 = new double[numGt];
    double[] gy1 = new double[numGt];
    boolean[] gDifficult = new boolean[numGt];
    int[] npos = new int[numClasses];
    int[] fill = cellStart.clone();
    for (int g = 0; g < numGt; g++) {
      GroundTruthBox b = groundTruth.get(g);
      int slot = fill[gtClass[g] * numImages + gtImage[g]]++;
      gx0[slot] = b.xmin();
      gy0[slot] = b.ymin();
      gx1[slot] = b.xmax();
      gy1[slot] = b.ymax();
      gDifficult[slot] = b.difficult();
      if (!b.difficult()) {
        npos[gtClass[g]]++;
      }
    }

    // Detections grouped by class, input order kept.
    int[] classStart = new int[numClasses + 1];
    for (int d = 0; d < numDet; d++) {
      classStart[detClass[d] + 1]++;
    }
    for (int c = 1; c <= numClasses; c++) {
      classStart[c] += classStart[c - 1];
    }
    int[] byClass = new int[numDet];
    int[] next = classStart.clone();
    for (int d = 0; d < numDet; d++) {
      byClass[next[detClass[d]]++] = d;
    }
    // Boxes and scores copied once into flat arrays in class-grouped order (cache friendly).
    double[] score = new double[numDet];
    double[] box = new double[4 * numDet];
    for (int j = 0; j < numDet; j++) {
      ScoredDetection s = detections.get(byClass[j]);
      score[j] = s.score();
      box[4 * j] = s.xmin();
      box[4 * j + 1] = s.ymin();
      box[4 * j + 2] = s.xmax();
      box[4 * j + 3] = s.ymax();
    }

    boolean[] taken = new boolean[numGt];
    List<ClassAp> classes = new ArrayList<>(numClasses);
    double[] apsWithGt = new double[numClasses];
    int numWithGt = 0;
    for (int c = 0; c < numClasses; c++) {
      int from = classStart[c];
      int n = classStart[c + 1] - from;
      double[] scores = java.util.Arrays.copyOfRange(score, from, from + n);
      int[] order = StableOrder.descending(scores, n);
      double[] tp = new double[n];
      double[] fp = new double[n];
      for (int k = 0; k < n; k++) {
        int j = from + order[k];
        int cell = c * numImages + detImage[byClass[j]];
        double bx0 = box[4 * j];
        double by0 = box[4 * j + 1];
        double bx1 = box[4 * j + 2];
        double by1 = box[4 * j + 3];
        int best = -1;
        double ovmax = Double.NEGATIVE_INFINITY;
        for (int g = cellStart[cell]; g < cellStart[cell + 1]; g++) {
          double ov = inclusiveIou(bx0, by0, bx1, by1, gx0[g], gy0[g], gx1[g], gy1[g]);
          if (best < 0 || ov > ovmax) {
            ovmax = ov;
            best = g;
          }
        }
        if (ovmax > iouThreshold) {
          if (!gDifficult[best]) {
            if (!taken[best]) {
              tp[k] = 1;
              taken[best] = true;
            } else {
              fp[k] = 1;
            }
          }
        } else {
          fp[k] = 1;
        }
      }
      String name = classNames.get(c);
      if (npos[c] == 0) {
        classes.add(new ClassAp(c + 1, name, Double.NaN, 0, n, new double[0], new double[0]));
        continue;
      }
      double[] precision = new double[n];
      double[] recall = new double[n];
      double[] ranked = new double[n];
      double ctp = 0;
      double cfp = 0;
      for (int k = 0; k < n; k++) {
        ranked[k] = scores[order[k]];
        ctp += tp[k];
        cfp += fp[k];
        recall[k] = ctp / npos[c];
        precision[k] = ctp / Math.max(ctp + cfp, EPS);
      }
      double ap = VocAp.compute(metric, recall, precision);
      apsWithGt[numWithGt++] = ap;
      classes.add(new ClassAp(c + 1, name, ap, npos[c], n, precision, recall, ranked));
    }
    // np.mean over the classes with ground truth, as the devkit's driver does.
    return new VocEvaluation(metric, iouThreshold, classes, NumpySum.mean(apsWithGt, numWithGt));
  }

  /** The devkit's overlap: inclusive pixel borders, (A + B) - I in that order. */
  private static double inclusiveIou(
      double bx0,
      double by0,
      double bx1,
      double by1,
      double gx0,
      double gy0,
      double gx1,
      double gy1) {
    double iw = Math.max(Math.min(gx1, bx1) - Math.max(gx0, bx0) + 1.0, 0.0);
    double ih = Math.max(Math.min(gy1, by1) - Math.max(gy0, by0) + 1.0, 0.0);
    double inters = iw * ih;
    double uni =
        (bx1 - bx0 + 1.0) * (by1 - by0 + 1.0) + (gx1 - gx0 + 1.0) * (gy1 - gy0 + 1.0) - inters;
    return inters / uni;
  }

  /** Dense image numbering; consecutive boxes of the same image skip the hash lookup. */
  private static final class ImageIndex {
    private final Map<String, Integer> index = new HashMap<>();
    private String last;
    private int lastIndex = -1;

    int indexOf(String imageId) {
      if (imageId != last && !imageId.equals(last)) {
        Integer i = index.get(imageId);
        if (i == null) {
          i = index.size();
          index.put(imageId, i);
        }
        last = imageId;
        lastIndex = i;
      }
      return lastIndex;
    }

    int size() {
      return index.size();
    }
  }

  static void checkClass(int classId, int numClasses, String what) {
    if (classId > numClasses) {
      throw new IllegalArgumentException(
          what + " has classId " + classId + " but only " + numClasses + " class names are given");
    }
  }
}
