package org.grievance.ssd.train;

/**
 * Keras {@code EarlyStopping}: stop once {@code patience} consecutive epochs have not improved the
 * monitored metric by more than {@code minDelta}.
 */
public final class EarlyStopping {
  /** The counters saved in {@code training-state.json}. */
  public record State(double best, int badEpochs) {
    /** Before the first epoch. */
    public static State initial() {
      return new State(Double.POSITIVE_INFINITY, 0);
    }
  }

  private final EarlyStoppingConfig config;
  private State state;

  /** Starts from {@code state} (use {@link State#initial()} for a new run). */
  public EarlyStopping(EarlyStoppingConfig config, State state) {
    this.config = config;
    this.state = state;
  }

  /** The current counters. */
  public State state() {
    return state;
  }

  /**
   * Records one epoch's metric (lower is better; non-finite never improves).
   *
   * @return whether training should stop now
   */
  public boolean onEpochEnd(double metric) {
    if (metric < state.best() - config.minDelta()) {
      state = new State(metric, 0);
      return false;
    }
    state = new State(state.best(), state.badEpochs() + 1);
    return state.badEpochs() >= config.patience();
  }
}
