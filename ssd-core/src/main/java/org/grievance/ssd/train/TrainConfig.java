package org.grievance.ssd.train;

import java.util.Objects;
import org.grievance.ssd.loss.SsdLossConfig;

/**
 * Everything that determines a training run, saved in every checkpoint's {@code
 * training-state.json}. Build with {@link #builder()}; the constructor validates.
 *
 * @param epochs stop after this many epochs; 0 = no epoch limit (then {@code minutes} must be set)
 * @param minutes time budget over the whole run (resumed sessions included); 0 = none. The run
 *     stops at the end of the batch that crosses it, and a cosine schedule is laid out over it
 * @param optimizer Adam or SGD
 * @param schedule the base learning-rate schedule
 * @param plateau plateau reduction on the monitored loss, or {@code null} for none
 * @param earlyStopping early stopping on the monitored loss, or {@code null} for none
 * @param loss the SSD loss parameters
 * @param seed seeds the engine's random generator before weight initialisation and the per-epoch
 *     data order ({@code seed} mixed with the epoch index), so that runs are reproducible
 * @param numThreads PyTorch intra-op threads, {@code >= 1}
 * @param resumeWarmupSteps after a resume, the rate ramps linearly from {@code 1/n} of its value to
 *     the full value over this many steps, because the optimizer's moment estimates cannot be
 *     restored (see {@link Trainer}); 0 disables
 */
public record TrainConfig(
    int epochs,
    double minutes,
    OptimizerConfig optimizer,
    ScheduleConfig schedule,
    PlateauConfig plateau,
    EarlyStoppingConfig earlyStopping,
    SsdLossConfig loss,
    long seed,
    int numThreads,
    int resumeWarmupSteps) {

  /** Validates every field. */
  public TrainConfig {
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be >= 0 (0 = no limit), got " + epochs);
    }
    if (!(minutes >= 0) || !Double.isFinite(minutes)) {
      throw new IllegalArgumentException(
          "minutes must be finite and >= 0 (0 = no limit), got " + minutes);
    }
    if (epochs == 0 && minutes == 0) {
      throw new IllegalArgumentException(
          "set epochs > 0 or minutes > 0: a run needs an end (got epochs=0, minutes=0)");
    }
    Objects.requireNonNull(optimizer, "optimizer must not be null");
    Objects.requireNonNull(schedule, "schedule must not be null");
    Objects.requireNonNull(loss, "loss must not be null");
    if (numThreads < 1) {
      throw new IllegalArgumentException("numThreads must be >= 1, got " + numThreads);
    }
    if (resumeWarmupSteps < 0) {
      throw new IllegalArgumentException(
          "resumeWarmupSteps must be >= 0, got " + resumeWarmupSteps);
    }
  }

  /** A builder with the SSD7 reference's settings and 20 epochs. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder()
        .epochs(epochs)
        .minutes(minutes)
        .optimizer(optimizer)
        .schedule(schedule)
        .plateau(plateau)
        .earlyStopping(earlyStopping)
        .loss(loss)
        .seed(seed)
        .numThreads(numThreads)
        .resumeWarmupSteps(resumeWarmupSteps);
  }

  /**
   * Mutable builder. Defaults: 20 epochs, no time budget, Adam, constant lr 1e-3, the reference's
   * plateau and early-stopping settings, default loss, seed 1, one thread per core, 100 warm-up
   * steps after a resume.
   */
  public static final class Builder {
    private int epochs = 20;
    private double minutes = 0;
    private OptimizerConfig optimizer = OptimizerConfig.adam();
    private ScheduleConfig schedule = ScheduleConfig.constant(1e-3);
    private PlateauConfig plateau = PlateauConfig.reference();
    private EarlyStoppingConfig earlyStopping = EarlyStoppingConfig.reference();
    private SsdLossConfig loss = SsdLossConfig.defaults();
    private long seed = 1;
    private int numThreads = Runtime.getRuntime().availableProcessors();
    private int resumeWarmupSteps = 100;

    private Builder() {}

    /** See {@link TrainConfig#epochs()}. */
    public Builder epochs(int value) {
      this.epochs = value;
      return this;
    }

    /** See {@link TrainConfig#minutes()}. */
    public Builder minutes(double value) {
      this.minutes = value;
      return this;
    }

    /** See {@link TrainConfig#optimizer()}. */
    public Builder optimizer(OptimizerConfig value) {
      this.optimizer = value;
      return this;
    }

    /** See {@link TrainConfig#schedule()}. */
    public Builder schedule(ScheduleConfig value) {
      this.schedule = value;
      return this;
    }

    /** See {@link TrainConfig#plateau()}; {@code null} disables. */
    public Builder plateau(PlateauConfig value) {
      this.plateau = value;
      return this;
    }

    /** See {@link TrainConfig#earlyStopping()}; {@code null} disables. */
    public Builder earlyStopping(EarlyStoppingConfig value) {
      this.earlyStopping = value;
      return this;
    }

    /** See {@link TrainConfig#loss()}. */
    public Builder loss(SsdLossConfig value) {
      this.loss = value;
      return this;
    }

    /** See {@link TrainConfig#seed()}. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** See {@link TrainConfig#numThreads()}. */
    public Builder numThreads(int value) {
      this.numThreads = value;
      return this;
    }

    /** See {@link TrainConfig#resumeWarmupSteps()}. */
    public Builder resumeWarmupSteps(int value) {
      this.resumeWarmupSteps = value;
      return this;
    }

    /** The validated configuration. */
    public TrainConfig build() {
      return new TrainConfig(
          epochs,
          minutes,
          optimizer,
          schedule,
          plateau,
          earlyStopping,
          loss,
          seed,
          numThreads,
          resumeWarmupSteps);
    }
  }
}
