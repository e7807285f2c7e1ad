package org.grievance.ssd.eval;

import java.util.Objects;

/**
 * The threshold chosen for one class, and the point of the precision–recall curve it stands for, so
 * that a user can see why.
 *
 * @param classId class id ({@code 1..n})
 * @param name class name
 * @param outcome whether a threshold was chosen, and if not why not
 * @param threshold the score threshold, in {@code (0, 1)}; {@code NaN} unless {@link
 *     Outcome#CHOSEN}
 * @param precision precision at the point ({@link Outcome#TARGET_NOT_REACHED}: the best reached);
 *     {@code NaN} without a curve
 * @param recall recall at that point; {@code NaN} without a curve
 * @param f1 F1 at that point; {@code NaN} without a curve
 * @param groundTruth positives of the class in the calibration images
 * @param detections detections of the class above the calibration's score floor
 */
public record ClassThreshold(
    int classId,
    String name,
    Outcome outcome,
    double threshold,
    double precision,
    double recall,
    double f1,
    int groundTruth,
    int detections) {

  /** Whether a threshold was chosen; every other outcome keeps the model's global threshold. */
  public enum Outcome {
    /** A threshold was chosen by the rule. */
    CHOSEN("chosen"),
    /** The calibration images hold no object of the class. */
    NO_GROUND_TRUTH("no ground truth"),
    /** The model detected nothing of the class. */
    NO_DETECTIONS("no detections"),
    /** Every detection of the class was a false positive. */
    NO_TRUE_POSITIVES("no true positives"),
    /** No point of the curve reaches the target precision. */
    TARGET_NOT_REACHED("target precision not reached");

    private final String words;

    Outcome(String words) {
      this.words = words;
    }

    /** Lower-case words for tables and JSON ({@code no ground truth}). */
    public String words() {
      return words;
    }
  }

  /** Validates; messages name the class and the field. */
  public ClassThreshold {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(outcome, "outcome");
    if (outcome == Outcome.CHOSEN) {
      if (!(threshold > 0 && threshold < 1)) {
        throw new IllegalArgumentException(
            "class " + name + ": threshold must be in (0, 1), got " + threshold);
      }
    } else if (!Double.isNaN(threshold)) {
      throw new IllegalArgumentException(
          "class " + name + ": " + outcome.words() + " leaves no threshold, got " + threshold);
    }
    if (groundTruth < 0 || detections < 0) {
      throw new IllegalArgumentException(
          "class "
              + name
              + ": groundTruth and detections must be >= 0, got "
              + groundTruth
              + ", "
              + detections);
    }
  }

  /** A class for which nothing could be chosen and that has no curve point to show. */
  static ClassThreshold none(
      int classId, String name, Outcome outcome, int groundTruth, int detections) {
    return new ClassThreshold(
        classId,
        name,
        outcome,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        groundTruth,
        detections);
  }

  /** True when the rule chose a threshold for the class. */
  public boolean chosen() {
    return outcome == Outcome.CHOSEN;
  }
}
