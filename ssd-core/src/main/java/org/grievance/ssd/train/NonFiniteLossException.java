package org.grievance.ssd.train;

/**
 * Training stopped because a batch's loss was NaN or infinite (Keras {@code TerminateOnNaN}). The
 * parameters were not updated with that batch and no checkpoint was written after it, so {@code
 * RUN_DIR/last} holds the last good epoch.
 */
public final class NonFiniteLossException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final long globalStep;
  private final double lastFiniteLoss;

  NonFiniteLossException(String message, int epoch, long globalStep, double lastFiniteLoss) {
    super(message);
    this.epoch = epoch;
    this.globalStep = globalStep;
    this.lastFiniteLoss = lastFiniteLoss;
  }

  /** The 1-based epoch of the bad batch. */
  public int epoch() {
    return epoch;
  }

  /** The 0-based index of the update that was not applied. */
  public long globalStep() {
    return globalStep;
  }

  /** The loss of the last good step, NaN if there was none. */
  public double lastFiniteLoss() {
    return lastFiniteLoss;
  }
}
