package org.grievance.ssd.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * MS COCO bounding-box evaluation, a faithful port of pycocotools' {@code COCOeval} with {@code
 * iouType='bbox'} (evaluate → accumulate → summarize); the twelve numbers equal pycocotools' {@code
 * stats} bit for bit, including its floating-point order of operations.
 *
 * <ul>
 *   <li>IoU without the +1 border; a crowd box's "IoU" is intersection / detection area, and a
 *       crowd box can absorb any number of detections.
 *   <li>IoU thresholds {@code .50:.05:.95} and 101 recall levels, both as {@code np.linspace}
 *       computes them; a detection matches when IoU {@code >= min(t, 1 − 1e-10)}.
 *   <li>Per image and class, detections are sorted by score (stable) and cut to 100; the AR columns
 *       also cut to 1 and 10.
 *   <li>Area ranges all {@code [0, 1e10]}, small {@code [0, 32²]}, medium {@code [32², 96²]}, large
 *       {@code [96², 1e10]}, both ends inclusive. Ground truth outside the range and crowd boxes
 *       are "ignored": detections matched to them count neither way, and unmatched detections whose
 *       area (w·h) is outside the range are ignored too.
 *   <li>A summary value is the mean of the entries that are not -1, or -1 when there are none.
 * </ul>
 *
 * <p>Images are evaluated in the order of {@code imageIds} (pycocotools sorts its integer ids, so
 * pass them in that order to reproduce ties between equal scores in different images). For
 * VOC-style data, map difficult boxes to {@code crowd = true} (pycocotools then ignores them as the
 * VOC devkit does); the {@code difficult} flag itself is not read here.
 */
public final class CocoEvaluator {
  static final double[] IOU_THRESHOLDS = linspace(0.5, 0.95, 10);
  static final double[] RECALL_THRESHOLDS = linspace(0.0, 1.0, 101);
  static final int[] MAX_DETS = {1, 10, 100};
  static final double[][] AREA_RANGES = {
    {0, 1e10}, {0, 32 * 32}, {32 * 32, 96 * 96}, {96 * 96, 1e10}
  };
  private static final int T = IOU_THRESHOLDS.length;
  private static final int R = RECALL_THRESHOLDS.length;
  private static final int A = AREA_RANGES.length;
  private static final int M = MAX_DETS.length;
  private static final double SPACING_1 = Math.ulp(1.0);

  /**
   * Scores {@code detections} against {@code groundTruth} over the images {@code imageIds}.
   *
   * @throws IllegalArgumentException for a box on an image not in {@code imageIds} (pycocotools
   *     rejects such results as well) or with a class id beyond {@code classNames}
   */
  public CocoEvaluation evaluate(
      List<String> classNames,
      List<String> imageIds,
      List<GroundTruthBox> groundTruth,
      List<ScoredDetection> detections) {
    int numClasses = classNames.size();
    int numImages = imageIds.size();
    Map<String, Integer> imageIndex = new HashMap<>();
    for (int i = 0; i < numImages; i++) {
      String id = Objects.requireNonNull(imageIds.get(i), "imageIds[" + i + "]");
      if (imageIndex.put(id, i) != null) {
        throw new IllegalArgumentException("imageIds lists image " + id + " twice");
      }
    }
    List<List<Integer>> gtCells = cells(numClasses * numImages);
    for (int g = 0; g < groundTruth.size(); g++) {
      GroundTruthBox b = groundTruth.get(g);
      String what = "ground truth box " + g + " (image " + b.imageId() + ")";
      VocEvaluator.checkClass(b.classId(), numClasses, what);
      int img = image(imageIndex, b.imageId(), what);
      gtCells.get((b.classId() - 1) * numImages + img).add(g);
    }
    List<List<Integer>> dtCells = cells(numClasses * numImages);
    int[] detPerClass = new int[numClasses];
    for (int d = 0; d < detections.size(); d++) {
      ScoredDetection s = detections.get(d);
      String what = "detection " + d + " (image " + s.imageId() + ")";
      VocEvaluator.checkClass(s.classId(), numClasses, what);
      int img = image(imageIndex, s.imageId(), what);
      dtCells.get((s.classId() - 1) * numImages + img).add(d);
      detPerClass[s.classId() - 1]++;
    }

    // precision[t][r][k][a][m] and recall[t][k][a][m], -1 where nothing was evaluated.
    double[] precision = new double[T * R * numClasses * A * M];
    double[] recall = new double[T * numClasses * A * M];
    Arrays.fill(precision, -1);
    Arrays.fill(recall, -1);
    int[] numGtPerClass = new int[numClasses];
    for (int k = 0; k < numClasses; k++) {
      ImageEval[][] evals = new ImageEval[A][numImages];
      for (int i = 0; i < numImages; i++) {
        List<Integer> gts = gtCells.get(k * numImages + i);
        List<Integer> dts = dtCells.get(k * numImages + i);
        if (gts.isEmpty() && dts.isEmpty()) {
          continue;
        }
        CellData cell = new CellData(groundTruth, gts, detections, dts);
        for (int a = 0; a < A; a++) {
          evals[a][i] = cell.evaluate(AREA_RANGES[a][0], AREA_RANGES[a][1]);
        }
      }
      for (int a = 0; a < A; a++) {
        for (int m = 0; m < M; m++) {
          int npig = accumulate(evals[a], MAX_DETS[m], k, a, m, numClasses, precision, recall);
          if (a == 0 && m == M - 1) {
            numGtPerClass[k] = npig;
          }
        }
      }
    }

    List<ClassAp> perClass = new ArrayList<>(numClasses);
    for (int k = 0; k < numClasses; k++) {
      double ap = summarizePrecision(precision, numClasses, -1, 0, M - 1, k);
      perClass.add(
          new ClassAp(
              k + 1,
              classNames.get(k),
              ap == -1 ? Double.NaN : ap,
              numGtPerClass[k],
              detPerClass[k],
              new double[0],
              new double[0]));
    }
    int t50 = 0;
    int t75 = 5;
    return new CocoEvaluation(
        summarizePrecision(precision, numClasses, -1, 0, 2, -1),
        summarizePrecision(precision, numClasses, t50, 0, 2, -1),
        summarizePrecision(precision, numClasses, t75, 0, 2, -1),
        summarizePrecision(precision, numClasses, -1, 1, 2, -1),
        summarizePrecision(precision, numClasses, -1, 2, 2, -1),
        summarizePrecision(precision, numClasses, -1, 3, 2, -1),
        summarizeRecall(recall, numClasses, 0, 0),
        summarizeRecall(recall, numClasses, 0, 1),
        summarizeRecall(recall, numClasses, 0, 2),
        summarizeRecall(recall, numClasses, 1, 2),
        summarizeRecall(recall, numClasses, 2, 2),
        summarizeRecall(recall, numClasses, 3, 2),
        perClass);
  }

  /** One image and class for one area range: pycocotools' {@code evaluateImg} result. */
  private record ImageEval(
      double[] dtScores, boolean[][] dtMatched, boolean[][] dtIgnore, int npig) {}

  /** The boxes of one image and class and their IoU matrix (pycocotools' {@code computeIoU}). */
  private static final class CellData {
    final int numGt;
    final int numDt;
    final double[] gtArea;
    final boolean[] gtCrowd;
    final double[] dtArea;
    final double[] dtScore;
    final double[] ious; // [d * numGt + g], detections in score order, ground truth in input order

    CellData(
        List<GroundTruthBox> groundTruth,
        List<Integer> gts,
        List<ScoredDetection> detections,
        List<Integer> dts) {
      numGt = gts.size();
      double[] gx = new double[numGt];
      double[] gy = new double[numGt];
      double[] gw = new double[numGt];
      double[] gh = new double[numGt];
      gtArea = new double[numGt];
      gtCrowd = new boolean[numGt];
      for (int g = 0; g < numGt; g++) {
        GroundTruthBox b = groundTruth.get(gts.get(g));
        gx[g] = b.xmin();
        gy[g] = b.ymin();
        gw[g] = b.xmax() - b.xmin();
        gh[g] = b.ymax() - b.ymin();
        gtArea[g] = Double.isNaN(b.area()) ? gw[g] * gh[g] : b.area();
        gtCrowd[g] = b.crowd();
      }
      double[] scores = new double[dts.size()];
      for (int d = 0; d < scores.length; d++) {
        scores[d] = detections.get(dts.get(d)).score();
      }
      int[] order = StableOrder.descending(scores, scores.length);
      numDt = Math.min(scores.length, MAX_DETS[M - 1]);
      dtArea = new double[numDt];
      dtScore = new double[numDt];
      ious = new double[numDt * numGt];
      for (int d = 0; d < numDt; d++) {
        ScoredDetection s = detections.get(dts.get(order[d]));
        double dx = s.xmin();
        double dy = s.ymin();
        double dw = s.xmax() - s.xmin();
        double dh = s.ymax() - s.ymin();
        double da = dw * dh;
        dtArea[d] = da;
        dtScore[d] = s.score();
        for (int g = 0; g < numGt; g++) {
          // maskApi.c bbIou, same operations in the same order.
          double w = Math.min(dx + dw, gx[g] + gw[g]) - Math.max(dx, gx[g]);
          if (w <= 0) {
            continue;
          }
          double h = Math.min(dy + dh, gy[g] + gh[g]) - Math.max(dy, gy[g]);
          if (h <= 0) {
            continue;
          }
          double inter = w * h;
          double union = gtCrowd[g] ? da : da + gw[g] * gh[g] - inter;
          ious[d * numGt + g] = inter / union;
        }
      }
    }

    ImageEval evaluate(double lo, double hi) {
      boolean[] ignoreByInput = new boolean[numGt];
      for (int g = 0; g < numGt; g++) {
        ignoreByInput[g] = gtCrowd[g] || gtArea[g] < lo || gtArea[g] > hi;
      }
      // Non-ignored ground truth first, input order kept within each part.
      int[] gtOrder = new int[numGt];
      int n = 0;
      for (int g = 0; g < numGt; g++) {
        if (!ignoreByInput[g]) {
          gtOrder[n++] = g;
        }
      }
      int npig = n;
      for (int g = 0; g < numGt; g++) {
        if (ignoreByInput[g]) {
          gtOrder[n++] = g;
        }
      }
      boolean[][] dtMatched = new boolean[T][numDt];
      boolean[][] dtIgnore = new boolean[T][numDt];
      for (int t = 0; t < T; t++) {
        boolean[] gtMatched = new boolean[numGt];
        for (int d = 0; d < numDt; d++) {
          double iou = Math.min(IOU_THRESHOLDS[t], 1 - 1e-10);
          int m = -1;
          for (int gi = 0; gi < numGt; gi++) {
            int g = gtOrder[gi];
            if (gtMatched[gi] && !gtCrowd[g]) {
              continue;
            }
            if (m > -1 && !ignoreByInput[gtOrder[m]] && ignoreByInput[g]) {
              break;
            }
            double o = ious[d * numGt + g];
            if (o < iou) {
              continue;
            }
            iou = o;
            m = gi;
          }
          if (m == -1) {
            continue;
          }
          dtIgnore[t][d] = ignoreByInput[gtOrder[m]];
          dtMatched[t][d] = true;
          gtMatched[m] = true;
        }
        for (int d = 0; d < numDt; d++) {
          if (!dtMatched[t][d] && (dtArea[d] < lo || dtArea[d] > hi)) {
            dtIgnore[t][d] = true;
          }
        }
      }
      return new ImageEval(dtScore, dtMatched, dtIgnore, npig);
    }
  }

  /**
   * pycocotools' {@code accumulate} for one class, area range and detection limit. Returns the
   * number of non-ignored ground-truth boxes.
   */
  private static int accumulate(
      ImageEval[] evals,
      int maxDet,
      int k,
      int a,
      int m,
      int numClasses,
      double[] precision,
      double[] recall) {
    int total = 0;
    int npig = 0;
    boolean any = false;
    for (ImageEval e : evals) {
      if (e != null) {
        any = true;
        total += Math.min(maxDet, e.dtScores.length);
        npig += e.npig;
      }
    }
    if (!any || npig == 0) {
      return npig;
    }
    double[] scores = new double[total];
    int[] source = new int[total]; // index into evals
    int[] pos = new int[total]; // detection index within that image
    int n = 0;
    for (int i = 0; i < evals.length; i++) {
      ImageEval e = evals[i];
      if (e == null) {
        continue;
      }
      int nd = Math.min(maxDet, e.dtScores.length);
      for (int d = 0; d < nd; d++) {
        scores[n] = e.dtScores[d];
        source[n] = i;
        pos[n] = d;
        n++;
      }
    }
    int[] order = StableOrder.descending(scores, total);
    double[] rc = new double[total];
    double[] pr = new double[total];
    for (int t = 0; t < T; t++) {
      double tp = 0;
      double fp = 0;
      for (int j = 0; j < total; j++) {
        ImageEval e = evals[source[order[j]]];
        int d = pos[order[j]];
        if (!e.dtIgnore[t][d]) {
          if (e.dtMatched[t][d]) {
            tp++;
          } else {
            fp++;
          }
        }
        rc[j] = tp / npig;
        pr[j] = tp / (fp + tp + SPACING_1);
      }
      recall[((t * numClasses + k) * A + a) * M + m] = total > 0 ? rc[total - 1] : 0;
      for (int j = total - 1; j > 0; j--) {
        if (pr[j] > pr[j - 1]) {
          pr[j - 1] = pr[j];
        }
      }
      // np.searchsorted(rc, recThrs, side='left'); levels past the curve keep precision 0.
      int j = 0;
      for (int r = 0; r < R; r++) {
        while (j < total && rc[j] < RECALL_THRESHOLDS[r]) {
          j++;
        }
        precision[(((t * R + r) * numClasses + k) * A + a) * M + m] = j < total ? pr[j] : 0;
      }
    }
    return npig;
  }

  /** Mean of precision[t?][*][k?][a][m] entries > -1 in (t, r, k) order; -1 when none. */
  private static double summarizePrecision(
      double[] precision, int numClasses, int onlyT, int a, int m, int onlyK) {
    double[] values = new double[T * R * numClasses];
    int n = 0;
    for (int t = 0; t < T; t++) {
      if (onlyT >= 0 && t != onlyT) {
        continue;
      }
      for (int r = 0; r < R; r++) {
        for (int k = 0; k < numClasses; k++) {
          if (onlyK >= 0 && k != onlyK) {
            continue;
          }
          double v = precision[(((t * R + r) * numClasses + k) * A + a) * M + m];
          if (v > -1) {
            values[n++] = v;
          }
        }
      }
    }
    return n == 0 ? -1 : NumpySum.mean(values, n);
  }

  /** Mean of recall[*][*][a][m] entries > -1 in (t, k) order; -1 when none. */
  private static double summarizeRecall(double[] recall, int numClasses, int a, int m) {
    double[] values = new double[T * numClasses];
    int n = 0;
    for (int t = 0; t < T; t++) {
      for (int k = 0; k < numClasses; k++) {
        double v = recall[((t * numClasses + k) * A + a) * M + m];
        if (v > -1) {
          values[n++] = v;
        }
      }
    }
    return n == 0 ? -1 : NumpySum.mean(values, n);
  }

  /** {@code np.linspace(start, stop, num)}: {@code i·step + start}, the last one exactly stop. */
  static double[] linspace(double start, double stop, int num) {
    double step = (stop - start) / (num - 1);
    double[] out = new double[num];
    for (int i = 0; i < num - 1; i++) {
      out[i] = i * step + start;
    }
    out[num - 1] = stop;
    return out;
  }

  private static List<List<Integer>> cells(int n) {
    List<List<Integer>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>(2));
    }
    return out;
  }

  private static int image(Map<String, Integer> imageIndex, String imageId, String what) {
    Integer i = imageIndex.get(imageId);
    if (i == null) {
      throw new IllegalArgumentException(what + " refers to an image not in imageIds");
    }
    return i;
  }
}
