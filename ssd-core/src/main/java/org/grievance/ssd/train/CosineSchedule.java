package org.grievance.ssd.train;

/**
 * Half a cosine from {@code lr} at step 0 down to {@code floor} at the horizon, then {@code floor}:
 * {@code floor + (lr - floor)·(1 + cos(π·step/horizon))/2}. With an unknown horizon it stays at
 * {@code lr}.
 */
public record CosineSchedule(double lr, double floor) implements LearningRateSchedule {
  @Override
  public double rate(long step, long horizon) {
    if (horizon == Long.MAX_VALUE) {
      return lr;
    }
    double progress = Math.min(1.0, (double) step / Math.max(1, horizon));
    return floor + (lr - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }
}
