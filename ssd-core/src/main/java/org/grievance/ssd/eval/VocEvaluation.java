package org.grievance.ssd.eval;

import java.util.List;

/**
 * Result of a Pascal VOC evaluation.
 *
 * @param classes one entry per class, in class-id order
 * @param meanAp mean of the APs of classes that have ground truth ({@code NaN} if none has)
 */
public record VocEvaluation(
    ApMetric metric, double iouThreshold, List<ClassAp> classes, double meanAp) {

  public VocEvaluation {
    classes = List.copyOf(classes);
  }
}
