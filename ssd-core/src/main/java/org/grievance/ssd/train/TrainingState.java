package org.grievance.ssd.train;

/**
 * The loop's state at the end of an epoch, saved as {@code training-state.json} in every
 * checkpoint; together with the parameters it is what {@link Trainer#resume} continues from.
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param epochsCompleted epochs finished (the checkpoint's epoch, 1-based)
 * @param globalStep optimizer updates applied so far
 * @param horizon planned updates for the whole run ({@link Long#MAX_VALUE} if unknown); the cosine
 *     schedule's end point
 * @param learningRate the effective rate of the last update
 * @param plateauMultiplier factor {@link ReduceLrOnPlateau} applies to the schedule
 * @param plateau plateau counters, {@code null} without plateau reduction
 * @param earlyStopping early-stopping counters, {@code null} without early stopping
 * @param monitor what best/plateau/early stopping watch: {@code "val_loss"} or {@code "loss"}
 * @param bestMetric the best monitored value so far
 * @param bestEpoch the epoch that reached it
 * @param lastFiniteLoss the training loss of the last step
 * @param elapsedSeconds wall time of all sessions up to this checkpoint
 * @param secondsPerStep the latest measured cost of one step (epoch overheads included)
 * @param config the run's configuration
 */
public record TrainingState(
    int formatVersion,
    int epochsCompleted,
    long globalStep,
    long horizon,
    double learningRate,
    double plateauMultiplier,
    ReduceLrOnPlateau.State plateau,
    EarlyStopping.State earlyStopping,
    String monitor,
    double bestMetric,
    int bestEpoch,
    double lastFiniteLoss,
    double elapsedSeconds,
    double secondsPerStep,
    TrainConfig config) {

  /** The version written by this code. */
  public static final int FORMAT_VERSION = 1;
}
