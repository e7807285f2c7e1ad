package org.grievance.ssd.train;

/**
 * Linear warm-up in front of another schedule: for {@code step < warmupSteps} the inner rate is
 * scaled by {@code (step + 1) / warmupSteps}, afterwards it is the inner rate unchanged. The inner
 * schedule keeps its own step numbering (multi-step milestones stay where they were given).
 *
 * <p>When the run's horizon is known the warm-up is capped at a tenth of it: a fixed warm-up would
 * otherwise eat most of a short time-budgeted run and leave it at a tiny learning rate.
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
    boolean known = horizon > 0 && horizon != Long.MAX_VALUE;
    long warmup = known ? Math.min(warmupSteps, horizon / 10) : warmupSteps;
    return step < warmup ? base * (step + 1) / warmup : base;
  }
}
