package org.grievance.ssd.eval;

import java.util.Objects;

/**
 * Average precision of one class.
 *
 * @param classId class id ({@code 1..n})
 * @param name class name
 * @param ap average precision; {@code NaN} when the class has no (non-difficult) ground truth
 * @param numGt positives counted for recall (VOC: non-difficult boxes; COCO: non-crowd boxes)
 * @param numDetections detections of this class
 * @param precision cumulative precision after each detection in score order (may be empty)
 * @param recall cumulative recall after each detection in score order (may be empty)
 * @param scores the score of each detection in that order, descending (empty where the evaluator
 *     keeps no per-detection curve, as the COCO one): the thresholds along the curve
 */
public record ClassAp(
    int classId,
    String name,
    double ap,
    int numGt,
    int numDetections,
    double[] precision,
    double[] recall,
    double[] scores) {

  public ClassAp {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(recall, "recall");
    Objects.requireNonNull(scores, "scores");
    if (precision.length != recall.length) {
      throw new IllegalArgumentException(
          "class "
              + name
              + ": precision ("
              + precision.length
              + ") and recall ("
              + recall.length
              + ") must have the same length");
    }
    if (scores.length != 0 && scores.length != precision.length) {
      throw new IllegalArgumentException(
          "class "
              + name
              + ": scores ("
              + scores.length
              + ") must be empty or as long as precision ("
              + precision.length
              + ")");
    }
  }

  /** Precision and recall without the scores (evaluators that keep no per-detection curve). */
  public ClassAp(
      int classId,
      String name,
      double ap,
      int numGt,
      int numDetections,
      double[] precision,
      double[] recall) {
    this(classId, name, ap, numGt, numDetections, precision, recall, new double[0]);
  }

  /** True when the class had ground truth, so that its AP takes part in the mean. */
  public boolean hasGroundTruth() {
    return !Double.isNaN(ap);
  }
}
