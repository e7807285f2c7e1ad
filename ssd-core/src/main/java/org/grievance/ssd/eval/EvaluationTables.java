package org.grievance.ssd.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Plain-text, column-aligned reports of evaluation results (for the console and log files). */
public final class EvaluationTables {
  private EvaluationTables() {}

  /** Per-class AP, positives and detections, then the mAP row. */
  public static String voc(VocEvaluation e) {
    String metric = e.metric() == ApMetric.VOC07_11_POINT ? "VOC07 11-point" : "VOC2010 all-point";
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"class", "AP", "GT", "detections"});
    for (ClassAp c : e.classes()) {
      rows.add(
          new String[] {
            c.name(), ap(c.ap()), Integer.toString(c.numGt()), Integer.toString(c.numDetections())
          });
    }
    rows.add(new String[] {"mAP", ap(e.meanAp()), "", ""});
    return String.format(Locale.ROOT, "%s AP, IoU > %s%n", metric, e.iouThreshold())
        + table(rows, rows.size() - 1);
  }

  /** The twelve COCO summary lines in pycocotools' wording, then the per-class AP table. */
  public static String coco(CocoEvaluation e) {
    String[] labels = {
      "Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]",
      "Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ]",
      "Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ]",
      "Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ]",
      "Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ]",
      "Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ]",
      "Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ]",
      "Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ]",
      "Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]",
      "Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ]",
      "Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ]",
      "Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ]"
    };
    double[] stats = e.stats();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < labels.length; i++) {
      sb.append(String.format(Locale.ROOT, " %s = %.3f%n", labels[i], stats[i]));
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"class", "AP@[.5:.95]", "GT", "detections"});
    for (ClassAp c : e.perClass()) {
      rows.add(
          new String[] {
            c.name(), ap(c.ap()), Integer.toString(c.numGt()), Integer.toString(c.numDetections())
          });
    }
    return sb.append(System.lineSeparator()).append(table(rows, -1)).toString();
  }

  /**
   * Per-class thresholds: the threshold, the curve point it stands for (precision, recall, F1),
   * positives and detections, and why a class got none (it keeps the model's global threshold).
   */
  public static String thresholds(ThresholdCalibration t) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {"class", "threshold", "precision", "recall", "F1", "GT", "detections", ""});
    for (ClassThreshold c : t.classes()) {
      rows.add(
          new String[] {
            c.name(),
            c.chosen() ? String.format(Locale.ROOT, "%s", c.threshold()) : "-",
            fraction(c.precision()),
            fraction(c.recall()),
            fraction(c.f1()),
            Integer.toString(c.groundTruth()),
            Integer.toString(c.detections()),
            c.chosen() ? "" : c.outcome().words() + ": the global threshold applies"
          });
    }
    return String.format(
            Locale.ROOT,
            "per-class thresholds at %s on %d images (IoU > %s, detections above %s)%n",
            t.rule().describe(),
            t.images(),
            t.iouThreshold(),
            t.scoreFloor())
        + table(rows, -1, true);
  }

  private static String fraction(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String ap(double v) {
    return Double.isNaN(v) ? "no GT" : String.format(Locale.ROOT, "%.4f", v);
  }

  /** Left-aligned first column, right-aligned others; a rule under the header and before ruleAt. */
  private static String table(List<String[]> rows, int ruleBefore) {
    return table(rows, ruleBefore, false);
  }

  /** As {@link #table(List, int)}; with {@code textLast} the last column is left-aligned text. */
  private static String table(List<String[]> rows, int ruleBefore, boolean textLast) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int c = 0; c < cols; c++) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    int total = (cols - 1) * 2;
    for (int w : width) {
      total += w;
    }
    String rule = "-".repeat(total) + System.lineSeparator();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      if (i == 1 || i == ruleBefore) {
        sb.append(rule);
      }
      String[] r = rows.get(i);
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < cols; c++) {
        if (c > 0) {
          line.append("  ");
        }
        String cell = r[c];
        String pad = " ".repeat(width[c] - cell.length());
        boolean left = c == 0 || (textLast && c == cols - 1);
        line.append(left ? cell + pad : pad + cell);
      }
      sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
    return sb.toString();
  }
}
