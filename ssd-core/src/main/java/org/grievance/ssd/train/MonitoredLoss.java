package org.grievance.ssd.train;

/**
 * The loss the run watches, the validation loss or without validation the training loss: its best
 * value and epoch (which choose the {@code best} checkpoint) and the early-stopping counters.
 */
final class MonitoredLoss {
  private final String name;
  private final EarlyStopping earlyStopping;
  private double best;
  private int bestEpoch;

  /**
   * @param validated whether the run has validation data
   * @param state the saved state of a resumed run, or {@code null} for a new one
   */
  MonitoredLoss(TrainConfig config, boolean validated, TrainingState state) {
    this.name = validated ? "val_loss" : "loss";
    this.best = state == null ? Double.POSITIVE_INFINITY : state.bestMetric();
    this.bestEpoch = state == null ? 0 : state.bestEpoch();
    this.earlyStopping =
        config.earlyStopping() == null
            ? null
            : new EarlyStopping(
                config.earlyStopping(),
                state != null && state.earlyStopping() != null
                    ? state.earlyStopping()
                    : EarlyStopping.State.initial());
  }

  /** {@code "val_loss"} or {@code "loss"}. */
  String name() {
    return name;
  }

  /** Records epoch {@code epoch}'s value; whether it is a new best (any decrease counts). */
  boolean improves(int epoch, double value) {
    if (value < best) {
      best = value;
      bestEpoch = epoch;
      return true;
    }
    return false;
  }

  /** Feeds the epoch's value to early stopping; whether the run should stop. */
  boolean stopsEarly(double value) {
    return earlyStopping != null && earlyStopping.onEpochEnd(value);
  }

  double best() {
    return best;
  }

  int bestEpoch() {
    return bestEpoch;
  }

  /** The early-stopping counters to save, {@code null} without early stopping. */
  EarlyStopping.State earlyStoppingState() {
    return earlyStopping == null ? null : earlyStopping.state();
  }
}
