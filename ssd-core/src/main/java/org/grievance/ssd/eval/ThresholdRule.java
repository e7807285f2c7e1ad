package org.grievance.ssd.eval;

import java.util.Locale;
import java.util.Objects;

/**
 * How {@link ThresholdCalibration} picks a class's score threshold on its precision–recall curve.
 *
 * @param kind {@link Kind#F1} or {@link Kind#PRECISION}
 * @param targetPrecision for {@link Kind#PRECISION} the precision to reach, in {@code (0, 1]};
 *     {@code NaN} for {@link Kind#F1}
 */
public record ThresholdRule(Kind kind, double targetPrecision) {
  /** The target precision {@code ssd calibrate --rule precision} uses unless told otherwise. */
  public static final double DEFAULT_TARGET_PRECISION = 0.9;

  /** Where on the curve. */
  public enum Kind {
    /** The point of best F1: precision and recall weighed equally. */
    F1,
    /**
     * The lowest score whose precision reaches the target: the most recall that precision allows.
     */
    PRECISION
  }

  /** Validates; the message names the field. */
  public ThresholdRule {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.F1 && !Double.isNaN(targetPrecision)) {
      throw new IllegalArgumentException(
          "targetPrecision is only for the precision rule; the F1 rule takes none, got "
              + targetPrecision);
    }
    if (kind == Kind.PRECISION && !(targetPrecision > 0 && targetPrecision <= 1)) {
      throw new IllegalArgumentException(
          "targetPrecision must be in (0, 1], got " + targetPrecision);
    }
  }

  /** The point of best F1. */
  public static ThresholdRule bestF1() {
    return new ThresholdRule(Kind.F1, Double.NaN);
  }

  /** The lowest score whose precision is at least {@code target}. */
  public static ThresholdRule targetPrecision(double target) {
    return new ThresholdRule(Kind.PRECISION, target);
  }

  /** {@code best F1} or {@code precision >= 0.9}, for tables and provenance. */
  public String describe() {
    return kind == Kind.F1
        ? "best F1"
        : String.format(Locale.ROOT, "precision >= %s", targetPrecision);
  }
}
