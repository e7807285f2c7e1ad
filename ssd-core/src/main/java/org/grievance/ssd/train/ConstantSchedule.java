package org.grievance.ssd.train;

/** The same rate at every step. */
public record ConstantSchedule(double lr) implements LearningRateSchedule {
  @Override
  public double rate(long step, long horizon) {
    return lr;
  }
}
