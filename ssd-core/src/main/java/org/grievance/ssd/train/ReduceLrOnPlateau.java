package org.grievance.ssd.train;

/**
 * Keras {@code ReduceLROnPlateau} (Keras 2.2+ counting) as a multiplier on the schedule: each epoch
 * end feeds the monitored metric; after {@code patience} epochs without an improvement larger than
 * {@code minDelta} the multiplier shrinks so that the effective rate becomes {@code
 * max(rate·factor, minLr)}, unless the effective rate is already at {@code minLr}.
 *
 * <p>Acting as a multiplier keeps the schedule's shape: a reduced cosine stays a cosine.
 */
public final class ReduceLrOnPlateau {
  /** The counters saved in {@code training-state.json}. */
  public record State(double best, int badEpochs, int cooldownCounter, double multiplier) {
    /** Before the first epoch. */
    public static State initial() {
      return new State(Double.POSITIVE_INFINITY, 0, 0, 1.0);
    }
  }

  private final PlateauConfig config;
  private State state;

  /** Starts from {@code state} (use {@link State#initial()} for a new run). */
  public ReduceLrOnPlateau(PlateauConfig config, State state) {
    this.config = config;
    this.state = state;
  }

  /** The current counters. */
  public State state() {
    return state;
  }

  /** The factor applied to the schedule's rate. */
  public double multiplier() {
    return state.multiplier();
  }

  /**
   * Records one epoch's metric.
   *
   * @param metric the monitored value (lower is better); a non-finite value never improves
   * @param scheduledLr the schedule's rate now (before this multiplier)
   * @return whether the multiplier was reduced
   */
  public boolean onEpochEnd(double metric, double scheduledLr) {
    double best = state.best();
    int wait = state.badEpochs();
    int cooldown = state.cooldownCounter();
    double multiplier = state.multiplier();
    if (cooldown > 0) {
      cooldown--;
      wait = 0;
    }
    boolean reduced = false;
    if (metric < best - config.minDelta()) {
      best = metric;
      wait = 0;
    } else if (cooldown == 0) {
      wait++;
      if (wait >= config.patience()) {
        double current = scheduledLr * multiplier;
        // Keras skips the reduction once the rate has reached min_lr (up to a tiny tolerance).
        if (current > config.minLr() * (1 + 1e-6) && scheduledLr > 0) {
          double next = Math.max(current * config.factor(), config.minLr());
          multiplier = next / scheduledLr;
          reduced = true;
          cooldown = config.cooldown();
        }
        wait = 0;
      }
    }
    state = new State(best, wait, cooldown, multiplier);
    return reduced;
  }
}
