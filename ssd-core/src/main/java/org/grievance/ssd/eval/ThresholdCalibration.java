package org.grievance.ssd.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.grievance.ssd.eval.ClassThreshold.Outcome;

/**
 * A score threshold per class, chosen on the precision–recall curves of a VOC evaluation (the
 * curves {@link PrCurvePlot} draws): one global threshold suits no detector, since a class that is
 * easy to tell apart reaches high precision at a low score and a confusable one only at a high
 * score.
 *
 * <p>Only the end of a run of equal scores is a point a threshold can stop at. The threshold
 * returned lies strictly between the score of the chosen detection and the next lower score (or
 * {@code scoreFloor} below the last detection), the shortest decimal there nearest its middle: on
 * the calibration images it keeps exactly the detections up to the chosen point whether the decoder
 * compares with {@code >} or {@code >=}, and it reads well in a table.
 *
 * <p>A class without ground truth, without detections, without a true positive, or whose curve
 * never reaches the target precision gets no threshold ({@link ClassThreshold#chosen()} false): it
 * keeps the model's global threshold, and {@link ClassThreshold#outcome()} says why.
 *
 * @param rule how the points were chosen
 * @param iouThreshold the IoU a detection needed to count as a true positive
 * @param scoreFloor the decoder's confidence threshold when the detections were made; the curves
 *     start there, so a threshold below it cannot be chosen
 * @param images calibration images
 * @param classes one entry per class, in class-id order
 */
public record ThresholdCalibration(
    ThresholdRule rule,
    double iouThreshold,
    double scoreFloor,
    int images,
    List<ClassThreshold> classes) {

  /**
   * The confidence floor detections for a calibration are decoded with (the reference evaluator's
   * 0.01): a higher floor cuts the curves short and hides the thresholds below it.
   */
  public static final double DEFAULT_SCORE_FLOOR = 0.01;

  /** At most this many decimals in a threshold; beyond them the midpoint of the gap is used. */
  private static final int MAX_DECIMALS = 6;

  /** Validates and copies. */
  public ThresholdCalibration {
    Objects.requireNonNull(rule, "rule");
    if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
      throw new IllegalArgumentException("iouThreshold must be in [0, 1], got " + iouThreshold);
    }
    if (!(scoreFloor >= 0 && scoreFloor < 1)) {
      throw new IllegalArgumentException("scoreFloor must be in [0, 1), got " + scoreFloor);
    }
    if (images < 0) {
      throw new IllegalArgumentException("images must be >= 0, got " + images);
    }
    classes = List.copyOf(classes);
  }

  /**
   * Chooses a threshold per class of {@code evaluation}.
   *
   * @param evaluation a VOC evaluation of detections decoded with confidence {@code scoreFloor}
   * @param images how many images the detections came from (reported, not used)
   */
  public static ThresholdCalibration of(
      VocEvaluation evaluation, ThresholdRule rule, double scoreFloor, int images) {
    Objects.requireNonNull(evaluation, "evaluation");
    Objects.requireNonNull(rule, "rule");
    List<ClassThreshold> out = new ArrayList<>();
    for (ClassAp c : evaluation.classes()) {
      out.add(choose(c, rule, scoreFloor));
    }
    return new ThresholdCalibration(
        rule, evaluation.iouThreshold(), scoreFloor, images, Collections.unmodifiableList(out));
  }

  /** The chosen thresholds by class name, in class order; classes without one are absent. */
  public Map<String, Double> thresholds() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (ClassThreshold c : classes) {
      if (c.chosen()) {
        out.put(c.name(), c.threshold());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * This calibration for a model's classes: {@code names} in their order with class ids {@code
   * 1..}, each with its entry here, or {@link Outcome#NO_GROUND_TRUTH} when the calibration images
   * do not have the class. Entries of other classes are left out.
   */
  public ThresholdCalibration forClasses(List<String> names) {
    Map<String, ClassThreshold> byName = new HashMap<>();
    for (ClassThreshold c : classes) {
      byName.put(c.name(), c);
    }
    List<ClassThreshold> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = Objects.requireNonNull(names.get(i), "names[" + i + "]");
      ClassThreshold c = byName.get(name);
      out.add(
          c == null
              ? ClassThreshold.none(i + 1, name, Outcome.NO_GROUND_TRUTH, 0, 0)
              : new ClassThreshold(
                  i + 1,
                  name,
                  c.outcome(),
                  c.threshold(),
                  c.precision(),
                  c.recall(),
                  c.f1(),
                  c.groundTruth(),
                  c.detections()));
    }
    return new ThresholdCalibration(rule, iouThreshold, scoreFloor, images, out);
  }

  private static ClassThreshold choose(ClassAp c, ThresholdRule rule, double floor) {
    int n = c.precision().length;
    if (c.numGt() == 0) {
      return ClassThreshold.none(
          c.classId(), c.name(), Outcome.NO_GROUND_TRUTH, 0, c.numDetections());
    }
    if (n == 0) {
      return ClassThreshold.none(c.classId(), c.name(), Outcome.NO_DETECTIONS, c.numGt(), 0);
    }
    double[] s = c.scores();
    if (s.length != n) {
      throw new IllegalArgumentException(
          "class " + c.name() + " has no scores along its curve (not a VOC evaluation?)");
    }
    double[] p = c.precision();
    double[] r = c.recall();
    if (r[n - 1] == 0) {
      return new ClassThreshold(
          c.classId(), c.name(), Outcome.NO_TRUE_POSITIVES, Double.NaN, 0, 0, 0, c.numGt(), n);
    }
    int chosen = -1;
    int mostPrecise = -1;
    for (int k = 0; k < n; k++) {
      if (k + 1 < n && s[k + 1] == s[k]) {
        continue; // inside a run of equal scores: no threshold stops here
      }
      if (mostPrecise < 0 || p[k] > p[mostPrecise]) {
        mostPrecise = k;
      }
      if (rule.kind() == ThresholdRule.Kind.F1) {
        if (chosen < 0 || f1(p[k], r[k]) > f1(p[chosen], r[chosen])) {
          chosen = k; // strictly better only: on a tie the higher threshold stays
        }
      } else if (p[k] >= rule.targetPrecision()) {
        chosen = k; // the last such point has the lowest score
      }
    }
    if (chosen < 0) {
      int k = mostPrecise;
      return new ClassThreshold(
          c.classId(),
          c.name(),
          Outcome.TARGET_NOT_REACHED,
          Double.NaN,
          p[k],
          r[k],
          f1(p[k], r[k]),
          c.numGt(),
          n);
    }
    double lower = chosen + 1 < n ? s[chosen + 1] : floor < s[chosen] ? floor : 0;
    return new ClassThreshold(
        c.classId(),
        c.name(),
        Outcome.CHOSEN,
        between(lower, s[chosen]),
        p[chosen],
        r[chosen],
        f1(p[chosen], r[chosen]),
        c.numGt(),
        n);
  }

  private static double f1(double precision, double recall) {
    double sum = precision + recall;
    return sum > 0 ? 2 * precision * recall / sum : 0;
  }

  /**
   * The shortest decimal strictly between {@code lower} and {@code upper} (of those, the nearest to
   * the middle), so that a threshold keeps {@code upper} and drops {@code lower} whichever
   * comparison the decoder uses.
   */
  static double between(double lower, double upper) {
    BigDecimal middle = new BigDecimal(lower + (upper - lower) / 2);
    for (int d = 1; d <= MAX_DECIMALS; d++) {
      double v = middle.setScale(d, RoundingMode.HALF_UP).doubleValue();
      if (v > lower && v < upper) {
        return v;
      }
    }
    return lower + (upper - lower) / 2;
  }
}
