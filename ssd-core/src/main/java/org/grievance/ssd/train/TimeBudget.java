package org.grievance.ssd.train;

import java.util.function.LongSupplier;

/**
 * A run's clock, its time budget and the schedule's horizon (the step at which a cosine reaches its
 * floor). Without a budget the horizon is the epoch limit's step count, or unknown ({@link
 * Long#MAX_VALUE}). With one, the horizon is first estimated from the step time measured over
 * {@link #CALIBRATION_STEPS} steps after the first of a session, and re-estimated after each epoch
 * from the epoch's time, validation and checkpoints included, so that a cosine reaches its floor
 * when the budget ends. The elapsed time spans the run's sessions, resumed ones included.
 */
final class TimeBudget {
  /** Steps timed (after one warm-up step) before the first horizon estimate of a session. */
  static final int CALIBRATION_STEPS = 5;

  private final LongSupplier nanoTime;
  private final double minutes;
  private final long epochHorizon;
  private final long sessionStart;
  private final double elapsedBefore;
  private long horizon;
  private double secondsPerStep;
  private long calibrationStart = -1;

  private TimeBudget(
      TrainConfig config,
      int batchesPerEpoch,
      LongSupplier nanoTime,
      double elapsedBefore,
      double secondsPerStep,
      long savedHorizon) {
    this.nanoTime = nanoTime;
    this.minutes = config.minutes();
    this.epochHorizon =
        config.epochs() == 0 ? Long.MAX_VALUE : (long) config.epochs() * batchesPerEpoch;
    this.sessionStart = nanoTime.getAsLong();
    this.elapsedBefore = elapsedBefore;
    this.secondsPerStep = secondsPerStep;
    this.horizon = Math.min(epochHorizon, savedHorizon);
  }

  /** The budget of a new run, starting now. */
  static TimeBudget start(TrainConfig config, int batchesPerEpoch, LongSupplier nanoTime) {
    return new TimeBudget(config, batchesPerEpoch, nanoTime, 0, Double.NaN, Long.MAX_VALUE);
  }

  /**
   * The budget of a resumed run: its elapsed time, step time and (with a budget) horizon continue
   * from {@code state}; a changed epoch limit can only shorten the horizon.
   */
  static TimeBudget resume(
      TrainConfig config, int batchesPerEpoch, LongSupplier nanoTime, TrainingState state) {
    return new TimeBudget(
        config,
        batchesPerEpoch,
        nanoTime,
        state.elapsedSeconds(),
        state.secondsPerStep(),
        config.minutes() > 0 ? state.horizon() : Long.MAX_VALUE);
  }

  /** The clock, in nanoseconds. */
  long now() {
    return nanoTime.getAsLong();
  }

  /** Seconds of all the run's sessions so far. */
  double elapsedSeconds() {
    return elapsedBefore + (now() - sessionStart) / 1e9;
  }

  /** Whether the run has used its time budget. */
  boolean exhausted() {
    return minutes > 0 && elapsedSeconds() >= minutes * 60;
  }

  /** The planned number of updates of the whole run. */
  long horizon() {
    return horizon;
  }

  /** The latest measured cost of one step, {@code NaN} before the first measurement. */
  double secondsPerStep() {
    return secondsPerStep;
  }

  /** Takes the first estimate of a session, from steps 2 to 1 + {@link #CALIBRATION_STEPS}. */
  void afterStep(long sessionSteps, long globalStep) {
    if (minutes == 0) {
      return;
    }
    if (sessionSteps == 1) {
      calibrationStart = now(); // the first step pays one-off costs; time the following ones
    } else if (sessionSteps == 1 + CALIBRATION_STEPS && calibrationStart >= 0) {
      secondsPerStep = (now() - calibrationStart) / 1e9 / CALIBRATION_STEPS;
      reestimate(globalStep);
    }
  }

  /** Re-estimates the horizon from an epoch of {@code steps} steps that took {@code seconds}. */
  void afterEpoch(double seconds, int steps, long globalStep) {
    if (minutes > 0) {
      secondsPerStep = seconds / steps; // overheads amortised over the epoch's steps
      reestimate(globalStep);
    }
  }

  /**
   * Seconds left until the horizon at {@code recentSecondsPerStep}, capped by the budget's
   * remainder; {@code NaN} when neither is known.
   */
  double eta(long globalStep, double recentSecondsPerStep) {
    double eta = Double.NaN;
    if (horizon != Long.MAX_VALUE) {
      eta = (horizon - globalStep) * recentSecondsPerStep;
    }
    if (minutes > 0) {
      double remaining = Math.max(0, minutes * 60 - elapsedSeconds());
      eta = Double.isNaN(eta) ? remaining : Math.min(eta, remaining);
    }
    return eta;
  }

  private void reestimate(long globalStep) {
    if (!(secondsPerStep > 0)) {
      return;
    }
    double remaining = Math.max(0, minutes * 60 - elapsedSeconds());
    long byTime = globalStep + (long) Math.floor(remaining / secondsPerStep);
    horizon = Math.max(globalStep, Math.min(epochHorizon, byTime));
  }
}
