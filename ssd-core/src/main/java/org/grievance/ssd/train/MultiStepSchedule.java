package org.grievance.ssd.train;

import java.util.List;

/**
 * Piecewise constant: {@code lr · factor^k} where {@code k} counts the milestones {@code <= step}
 * (the SSD300 reference drops by 0.1 at 80k and 100k steps).
 */
public record MultiStepSchedule(double lr, List<Long> milestones, double factor)
    implements LearningRateSchedule {
  /** Copies the milestones. */
  public MultiStepSchedule {
    milestones = List.copyOf(milestones);
  }

  @Override
  public double rate(long step, long horizon) {
    double value = lr;
    for (long m : milestones) {
      if (step >= m) {
        value *= factor;
      }
    }
    return value;
  }
}
