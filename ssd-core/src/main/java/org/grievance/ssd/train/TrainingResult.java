package org.grievance.ssd.train;

import java.util.List;

/**
 * How a run ended.
 *
 * @param reason why it stopped
 * @param epochsCompleted epochs finished (including those of earlier sessions)
 * @param globalStep updates applied
 * @param monitor the monitored metric, {@code "val_loss"} or {@code "loss"}
 * @param bestMetric its best value
 * @param bestEpoch the epoch of the best value (saved in {@code RUN_DIR/best})
 * @param elapsedSeconds wall time of all sessions
 * @param history the log rows of all epochs
 */
public record TrainingResult(
    StopReason reason,
    int epochsCompleted,
    long globalStep,
    String monitor,
    double bestMetric,
    int bestEpoch,
    double elapsedSeconds,
    List<EpochReport> history) {

  /** Copies the history. */
  public TrainingResult {
    history = List.copyOf(history);
  }

  /** Why training stopped normally. */
  public enum StopReason {
    /** The epoch limit was reached. */
    EPOCHS_DONE,
    /** The time budget ran out. */
    TIME_BUDGET,
    /** The monitored loss stopped improving. */
    EARLY_STOPPING
  }
}
