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

  /**
   * Two models on the same images side by side: per class the positives, then VOC AP and COCO AP of
   * {@code first} and {@code second} and the change from the first to the second; the means last.
   * Both evaluations must list the same classes in the same order (they come from one dataset).
   */
  public static String sideBySide(
      VocEvaluation firstVoc,
      CocoEvaluation firstCoco,
      VocEvaluation secondVoc,
      CocoEvaluation secondCoco) {
    List<ClassAp> a = firstVoc.classes();
    List<ClassAp> b = secondVoc.classes();
    if (a.size() != b.size()
        || a.size() != firstCoco.perClass().size()
        || a.size() != secondCoco.perClass().size()) {
      throw new IllegalArgumentException(
          "the evaluations list different numbers of classes; evaluate both on one dataset");
    }
    String metric = firstVoc.metric() == ApMetric.VOC07_11_POINT ? "VOC07" : "VOC2010";
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "class", "GT", metric + " A", metric + " B", "change", "COCO A", "COCO B", "change"
        });
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).name().equals(b.get(i).name())) {
        throw new IllegalArgumentException(
            "class "
                + (i + 1)
                + " is '"
                + a.get(i).name()
                + "' in one evaluation and '"
                + b.get(i).name()
                + "' in the other");
      }
      double ca = cocoValue(firstCoco.perClass().get(i).ap());
      double cb = cocoValue(secondCoco.perClass().get(i).ap());
      rows.add(
          new String[] {
            a.get(i).name(),
            Integer.toString(a.get(i).numGt()),
            ap(a.get(i).ap()),
            ap(b.get(i).ap()),
            change(a.get(i).ap(), b.get(i).ap()),
            ap(ca),
            ap(cb),
            change(ca, cb)
          });
    }
    rows.add(
        new String[] {
          "mean",
          "",
          ap(firstVoc.meanAp()),
          ap(secondVoc.meanAp()),
          change(firstVoc.meanAp(), secondVoc.meanAp()),
          ap(cocoValue(firstCoco.ap())),
          ap(cocoValue(secondCoco.ap())),
          change(cocoValue(firstCoco.ap()), cocoValue(secondCoco.ap()))
        });
    return table(rows, rows.size() - 1);
  }

  /** COCO writes -1 where there is nothing to average; shown as a class without ground truth. */
  private static double cocoValue(double v) {
    return v < 0 ? Double.NaN : v;
  }

  private static String change(double from, double to) {
    return Double.isNaN(from) || Double.isNaN(to)
        ? "-"
        : String.format(Locale.ROOT, "%+.4f", to - from);
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
