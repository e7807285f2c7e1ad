package org.grievance.ssd.register.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.grievance.ssd.eval.ClassAp;
import org.grievance.ssd.eval.EvaluationTables;

/**
 * A new model against a baseline on the same images (the register's exported test split): the
 * per-class table and the verdict that decides a promotion.
 *
 * <p>The verdict: the new model is <em>worse</em> when its mean VOC07 AP is lower than the
 * baseline's by more than {@code tolerance} (absolute AP; {@link #DEFAULT_TOLERANCE} by default).
 * The tolerance absorbs the noise of a small test split, where one box more or less found moves the
 * mean by a few hundredths; a real regression shows beyond it. Without ground truth in the split
 * there is nothing to compare: {@link #hasGroundTruth()} is false and a model is never judged
 * worse, so the caller decides what an empty test split means.
 *
 * @param images images scored
 * @param baseline the baseline's scores
 * @param candidate the new model's scores
 */
public record ModelComparison(int images, ModelScore baseline, ModelScore candidate) {
  /** Mean VOC07 AP a new model may lose before it counts as worse: 0.01. */
  public static final double DEFAULT_TOLERANCE = 0.01;

  public ModelComparison {
    Objects.requireNonNull(baseline, "baseline");
    Objects.requireNonNull(candidate, "candidate");
  }

  /**
   * Scores {@code baseline} and {@code candidate} on {@code dataset} (e.g. an export's test split).
   */
  public static ModelComparison of(
      java.nio.file.Path baseline,
      java.nio.file.Path candidate,
      org.grievance.ssd.data.Dataset dataset,
      int threads)
      throws java.io.IOException {
    return new ModelComparison(
        dataset.size(),
        ModelScore.of(baseline, dataset, threads),
        ModelScore.of(candidate, dataset, threads));
  }

  /** True when the split holds ground truth of at least one class, so the means exist. */
  public boolean hasGroundTruth() {
    return !Double.isNaN(baseline.voc07().meanAp()) && !Double.isNaN(candidate.voc07().meanAp());
  }

  /** New mean VOC07 AP minus the baseline's ({@code NaN} without ground truth). */
  public double meanVoc07Change() {
    return candidate.voc07().meanAp() - baseline.voc07().meanAp();
  }

  /**
   * True when the new model's mean VOC07 AP is lower than the baseline's by more than tolerance.
   */
  public boolean isWorse(double tolerance) {
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
    }
    return hasGroundTruth() && meanVoc07Change() < -tolerance;
  }

  /** {@link #isWorse(double)} with {@link #DEFAULT_TOLERANCE}. */
  public boolean isWorse() {
    return isWorse(DEFAULT_TOLERANCE);
  }

  /** The side-by-side table (A = baseline, B = new) with a legend and the verdict. */
  public String table(double tolerance) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "A = baseline: %s%n", baseline.model()));
    s.append(String.format(Locale.ROOT, "B = new:      %s%n", candidate.model()));
    s.append(
        String.format(
            Locale.ROOT,
            "%d test images; VOC07 11-point AP at IoU 0.5, COCO AP@[.5:.95]%n",
            images));
    s.append(
        EvaluationTables.sideBySide(
            baseline.voc07(), baseline.coco(), candidate.voc07(), candidate.coco()));
    s.append(verdict(tolerance)).append(System.lineSeparator());
    return s.toString();
  }

  /** One line: better, within tolerance, or worse, with the numbers. */
  public String verdict(double tolerance) {
    if (!hasGroundTruth()) {
      return "no ground truth in the test split: nothing to compare (review more photos)";
    }
    return String.format(
        Locale.ROOT,
        "%s: mean VOC07 AP %.4f -> %.4f (%+.4f; worse means lower by more than %.4f)",
        isWorse(tolerance)
            ? "the new model is WORSE than the baseline"
            : "the new model is not worse",
        baseline.voc07().meanAp(),
        candidate.voc07().meanAp(),
        meanVoc07Change(),
        tolerance);
  }

  /** The comparison as JSON: per class and mean, both metrics, both models, and the verdict. */
  public ObjectNode toJson(ObjectMapper json, double tolerance) {
    ObjectNode root = json.createObjectNode();
    root.put("images", images);
    root.put("tolerance", tolerance);
    root.put("hasGroundTruth", hasGroundTruth());
    root.put("worse", isWorse(tolerance));
    root.set("baseline", score(json, baseline));
    root.set("new", score(json, candidate));
    return root;
  }

  private static ObjectNode score(ObjectMapper json, ModelScore s) {
    ObjectNode n = json.createObjectNode();
    n.put("model", s.model());
    number(n, "voc07mAP", s.voc07().meanAp());
    number(n, "cocoAP", s.coco().ap() < 0 ? Double.NaN : s.coco().ap());
    ArrayNode classes = n.putArray("classes");
    List<ClassAp> voc = s.voc07().classes();
    for (int i = 0; i < voc.size(); i++) {
      ObjectNode c = classes.addObject();
      c.put("name", voc.get(i).name());
      c.put("gt", voc.get(i).numGt());
      number(c, "voc07AP", voc.get(i).ap());
      double coco = s.coco().perClass().get(i).ap();
      number(c, "cocoAP", coco < 0 ? Double.NaN : coco);
    }
    return n;
  }

  private static void number(ObjectNode n, String field, double v) {
    if (Double.isNaN(v)) {
      n.putNull(field);
    } else {
      n.put(field, v);
    }
  }
}
