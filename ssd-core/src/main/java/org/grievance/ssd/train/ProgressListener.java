package org.grievance.ssd.train;

/**
 * Receives progress for display. The CLI provides a progress-bar implementation; {@link
 * PlainProgress} prints periodic lines (for logs and non-terminal output). Calls come from the
 * training thread and should return quickly.
 */
public interface ProgressListener {
  /** Ignores everything. */
  ProgressListener NONE = new ProgressListener() {};

  /** Before the first batch of a session. */
  default void onStart(TrainingPlan plan) {}

  /** After each training step. */
  default void onBatch(BatchProgress progress) {}

  /** Before validation of an epoch. */
  default void onValidation(int epoch, int batches) {}

  /** After an epoch's log row and checkpoints are written. */
  default void onEpochEnd(EpochReport report) {}

  /** When the run ends normally (not on exceptions). */
  default void onEnd(TrainingResult result) {}

  /**
   * What a session is about to do.
   *
   * @param epochsCompleted epochs done before this session (non-zero when resumed)
   * @param maxEpochs the epoch limit, 0 for none
   * @param batchesPerEpoch training batches per epoch
   * @param minutes the time budget, 0 for none
   * @param globalStep updates done before this session
   * @param resumed whether this session continues a checkpoint
   */
  record TrainingPlan(
      int epochsCompleted,
      int maxEpochs,
      int batchesPerEpoch,
      double minutes,
      long globalStep,
      boolean resumed) {}

  /**
   * The state after one training step.
   *
   * @param epoch 1-based epoch
   * @param batch 1-based batch within the epoch
   * @param batchesPerEpoch batches in a full epoch
   * @param globalStep updates applied so far
   * @param horizon planned updates of the whole run ({@link Long#MAX_VALUE} if unknown)
   * @param loss mean training loss of the epoch so far
   * @param learningRate the rate of this step
   * @param imagesPerSecond training throughput of the epoch so far
   * @param etaSeconds estimated time to the end of the run, NaN if unknown
   * @param elapsedSeconds time of the whole run so far
   */
  record BatchProgress(
      int epoch,
      int batch,
      int batchesPerEpoch,
      long globalStep,
      long horizon,
      double loss,
      double learningRate,
      double imagesPerSecond,
      double etaSeconds,
      double elapsedSeconds) {}
}
