package org.grievance.ssd.train;

/**
 * Linear warm-up in front of another schedule: for {@code step < warmupSteps} the inner rate is
 * scaled by {@code (step + 1) / warmupSteps}, afterwards it is the inner rate unchanged. The inner
 * schedule keeps its own step numbering (multi-step milestones stay where they were given).
 */
public record WarmupSchedule(LearningRateSchedule inner, long warmupSteps)
    implements LearningRateSchedule {
  /** Checks the warm-up length. */
  public WarmupSchedule {
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
    }
  }

  @Override
  public double rate(long step, long horizon) {
    double base = inner.rate(step, horizon);
    return step < warmupSteps ? base * (step + 1) / warmupSteps : base;
  }
}
