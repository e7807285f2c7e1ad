package org.grievance.ssd.train;

import ai.djl.training.tracker.Tracker;

/**
 * The bridge to DJL's optimizers: the trainer sets the rate before each step and the optimizer
 * reads it. DJL's own update counter is ignored on purpose: it is per optimizer instance and
 * restarts at 1 on resume, while the schedule follows the run's global step.
 */
public final class LearningRateController implements Tracker {
  private volatile float value;

  /** Starts at {@code initial}. */
  public LearningRateController(double initial) {
    set(initial);
  }

  /** The rate for the next update. */
  public void set(double lr) {
    if (!(lr >= 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
    }
    this.value = (float) lr;
  }

  /** The current rate. */
  public float get() {
    return value;
  }

  @Override
  public float getNewValue(int numUpdate) {
    return value;
  }
}
