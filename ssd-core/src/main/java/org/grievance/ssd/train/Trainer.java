package org.grievance.ssd.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.tracker.ParameterTracker;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.UnaryOperator;
import org.grievance.ssd.engine.NativeAllocator;
import org.grievance.ssd.engine.ProcessMemory;
import org.grievance.ssd.engine.ThreadSettings;
import org.grievance.ssd.loss.SsdLoss;
import org.grievance.ssd.train.TrainingResult.StopReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs training epochs: for each batch, the lr from the schedule, plateau multiplier and
 * post-resume warm-up; forward, SSD loss plus extra term, backward, update (see {@link
 * StepRunner}); after each epoch validation loss, optional mAP, plateau and early-stopping
 * bookkeeping, {@code log.csv}, loss curves, and the {@code last}/{@code best} checkpoints (see
 * {@link Checkpoints}), then the epoch listeners.
 *
 * <p><b>Resuming</b> ({@link #resume}) restores the weights, epoch, global step, schedule horizon,
 * plateau multiplier and counters, early-stopping counters, best metric and elapsed time, so the
 * learning rate continues exactly where the schedule was and epoch numbers continue. It restarts
 * the interrupted epoch from its beginning (same data order, since the order depends only on the
 * seed and epoch).
 *
 * <p><b>Not restored: the optimizer's state.</b> DJL 0.36's {@code Adam} keeps its first and second
 * moment estimates in private per-parameter maps (and {@code Sgd} its momentum buffers likewise),
 * with no accessor and no save/load API; reading them by reflection is not acceptable. A resumed
 * run therefore starts with zero moments, and DJL's per-parameter update counter restarts at 1,
 * which is consistent: Adam's bias correction is exactly the one for freshly zeroed moments.
 * (Setting {@code optBeginNumUpdate} to the old step would be wrong: with zero moments and a large
 * {@code t} the first updates would be about 3× too large.) The second-moment estimate is noisy
 * during the first steps, so the rate ramps up linearly over {@link
 * TrainConfig#resumeWarmupSteps()} steps after a resume.
 *
 * <p><b>Time budget.</b> With {@link TrainConfig#minutes()}, the run stops at the end of the batch
 * that crosses the budget; that partial epoch is then validated, logged and checkpointed like any
 * other. The schedule's horizon (the cosine's end point) is estimated from the measured step time
 * after a few steps and re-estimated after each epoch (then including validation and checkpoint
 * overheads), so a cosine reaches its floor when the budget ends.
 *
 * <p><b>Non-finite loss.</b> A NaN or infinite loss stops the run with {@link
 * NonFiniteLossException} before that batch updates anything, keeping the last checkpoint.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  /** Steps timed (after one warm-up step) before the first horizon estimate of a session. */
  static final int CALIBRATION_STEPS = 5;

  private Trainer() {}

  /**
   * Trains a new run into {@code runDir}.
   *
   * @param validation validation batches, or {@code null} (then the training loss is monitored)
   * @throws IllegalStateException if {@code runDir} already holds a checkpoint
   * @throws NonFiniteLossException if a loss becomes NaN or infinite
   */
  public static TrainingResult train(
      TrainConfig config,
      TrainingModel model,
      BatchSource train,
      BatchSource validation,
      Path runDir,
      TrainingHooks hooks)
      throws IOException {
    if (Checkpoints.locate(runDir, Checkpoints.LAST).isPresent()) {
      throw new IllegalStateException(
          runDir + " already holds a checkpoint; resume it or choose another run directory");
    }
    // Seeds weight initialisation (and any engine-side randomness) for reproducible runs.
    model.model().getNDManager().getEngine().setRandomSeed((int) config.seed());
    initializeBlock(model.model(), train);
    return new Session(config, model, train, validation, runDir, hooks, null).run();
  }

  /** Continues the run in {@code runDir} with its saved configuration. */
  public static TrainingResult resume(
      Path runDir,
      TrainingModel model,
      BatchSource train,
      BatchSource validation,
      TrainingHooks hooks)
      throws IOException {
    return resume(runDir, UnaryOperator.identity(), model, train, validation, hooks);
  }

  /**
   * Continues the run in {@code runDir} from {@code RUN_DIR/last}.
   *
   * @param adjust changes to the saved configuration (e.g. more epochs or minutes)
   * @param model a model with the same block structure as the saved one
   * @throws NoSuchFileException if there is no complete checkpoint
   */
  public static TrainingResult resume(
      Path runDir,
      UnaryOperator<TrainConfig> adjust,
      TrainingModel model,
      BatchSource train,
      BatchSource validation,
      TrainingHooks hooks)
      throws IOException {
    Path last =
        Checkpoints.locate(runDir, Checkpoints.LAST)
            .orElseThrow(
                () ->
                    new NoSuchFileException(
                        runDir.resolve(Checkpoints.LAST).toString(),
                        null,
                        "no complete checkpoint to resume from"));
    TrainingState state = Checkpoints.readState(last);
    TrainConfig config = adjust.apply(state.config());
    model
        .model()
        .getNDManager()
        .getEngine()
        .setRandomSeed((int) epochSeed(config.seed(), state.epochsCompleted() + 1));
    initializeBlock(model.model(), train);
    Checkpoints.loadParameters(model.model(), last);
    LOG.info(
        "Resuming {} after epoch {} (step {}); optimizer moments start from zero",
        runDir,
        state.epochsCompleted(),
        state.globalStep());
    return new Session(config, model, train, validation, runDir, hooks, state).run();
  }

  /** Initialises the block for the source's image size (before parameters are loaded). */
  private static void initializeBlock(Model model, BatchSource source) {
    Block block = model.getBlock();
    if (!block.isInitialized()) {
      block.initialize(model.getNDManager(), model.getDataType(), inputShape(source));
    }
  }

  private static Shape inputShape(BatchSource source) {
    return new Shape(1, 3, source.imageHeight(), source.imageWidth());
  }

  /** The data order of an epoch depends only on the run's seed and the epoch. */
  static long epochSeed(long seed, int epoch) {
    long z = seed + 0x9E3779B97F4A7C15L * epoch;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The mutable state of one session (one call of train or resume). */
  private static final class Session {
    private final TrainConfig config;
    private final TrainingModel model;
    private final BatchSource train;
    private final BatchSource validation;
    private final Path runDir;
    private final TrainingHooks hooks;
    private final boolean resumed;
    private final LearningRateSchedule schedule;
    private final LearningRateController lr;
    private final ReduceLrOnPlateau plateau;
    private final EarlyStopping earlyStopping;
    private final String monitor;
    private final long sessionStart;
    private final double elapsedBefore;
    private final CsvLog log;

    private int epochsCompleted;
    private long globalStep;
    private long horizon;
    private double secondsPerStep;
    private double bestMetric;
    private int bestEpoch;
    private double lastFiniteLoss;
    private long sessionSteps;
    private long calibrationStart = -1;

    Session(
        TrainConfig config,
        TrainingModel model,
        BatchSource train,
        BatchSource validation,
        Path runDir,
        TrainingHooks hooks,
        TrainingState state)
        throws IOException {
      this.config = config;
      this.model = model;
      this.train = train;
      this.validation = validation;
      this.runDir = runDir;
      this.hooks = hooks;
      this.resumed = state != null;
      this.schedule = config.schedule().build();
      this.monitor = validation != null ? "val_loss" : "loss";
      this.sessionStart = hooks.nanoTime().getAsLong();
      if (train.batchesPerEpoch() <= 0) {
        throw new IllegalArgumentException(
            "training source has no batches (batchesPerEpoch=" + train.batchesPerEpoch() + ")");
      }
      if (state == null) {
        epochsCompleted = 0;
        globalStep = 0;
        horizon = epochHorizon();
        secondsPerStep = Double.NaN;
        bestMetric = Double.POSITIVE_INFINITY;
        bestEpoch = 0;
        lastFiniteLoss = Double.NaN;
        elapsedBefore = 0;
        plateau =
            config.plateau() == null
                ? null
                : new ReduceLrOnPlateau(config.plateau(), ReduceLrOnPlateau.State.initial());
        earlyStopping =
            config.earlyStopping() == null
                ? null
                : new EarlyStopping(config.earlyStopping(), EarlyStopping.State.initial());
        log = CsvLog.create(runDir.resolve("log.csv"));
      } else {
        epochsCompleted = state.epochsCompleted();
        globalStep = state.globalStep();
        secondsPerStep = state.secondsPerStep();
        horizon = Math.min(epochHorizon(), config.minutes() > 0 ? state.horizon() : Long.MAX_VALUE);
        bestMetric = state.bestMetric();
        bestEpoch = state.bestEpoch();
        lastFiniteLoss = state.lastFiniteLoss();
        elapsedBefore = state.elapsedSeconds();
        plateau =
            config.plateau() == null
                ? null
                : new ReduceLrOnPlateau(
                    config.plateau(),
                    state.plateau() != null ? state.plateau() : ReduceLrOnPlateau.State.initial());
        earlyStopping =
            config.earlyStopping() == null
                ? null
                : new EarlyStopping(
                    config.earlyStopping(),
                    state.earlyStopping() != null
                        ? state.earlyStopping()
                        : EarlyStopping.State.initial());
        log = CsvLog.resume(runDir.resolve("log.csv"), epochsCompleted);
      }
      this.lr = new LearningRateController(currentRate());
    }

    /** The scheduled rate, times each parameter's multiplier where the model sets one. */
    private ParameterTracker learningRateTracker() {
      Map<String, Double> multipliers = model.lrMultipliers();
      if (multipliers.isEmpty()) {
        return lr;
      }
      return (parameterId, updates) ->
          (float)
              (lr.getNewValue(parameterId, updates) * multipliers.getOrDefault(parameterId, 1.0));
    }

    TrainingResult run() throws IOException {
      Model djlModel = model.model();
      NativeAllocator.warnOnceIfSlow();
      if (!ThreadSettings.apply(djlModel.getNDManager().getEngine(), config.numThreads())) {
        LOG.info("numThreads={} ignored: engine is not PyTorch", config.numThreads());
      }
      Device device = djlModel.getNDManager().getDevice();
      DefaultTrainingConfig djlConfig =
          new DefaultTrainingConfig(new SsdLoss(config.loss()))
              .optOptimizer(config.optimizer().build(learningRateTracker()))
              .optDevices(new Device[] {device});
      hooks
          .progress()
          .onStart(
              new ProgressListener.TrainingPlan(
                  epochsCompleted,
                  config.epochs(),
                  train.batchesPerEpoch(),
                  config.minutes(),
                  globalStep,
                  resumed));
      StopReason reason;
      try (ai.djl.training.Trainer djl = djlModel.newTrainer(djlConfig)) {
        djl.initialize(inputShape(train));
        StepRunner steps = new StepRunner(djl, new SsdLoss(config.loss()), model.extraLoss());
        while (true) {
          if (config.epochs() > 0 && epochsCompleted >= config.epochs()) {
            reason = StopReason.EPOCHS_DONE;
            break;
          }
          if (budgetExhausted()) {
            reason = StopReason.TIME_BUDGET;
            break;
          }
          EpochEnd end = runEpoch(steps, epochsCompleted + 1);
          if (end.budgetCrossed()) {
            reason = StopReason.TIME_BUDGET;
            break;
          }
          if (end.stopEarly()) {
            reason = StopReason.EARLY_STOPPING;
            break;
          }
        }
      }
      TrainingResult result =
          new TrainingResult(
              reason,
              epochsCompleted,
              globalStep,
              monitor,
              bestMetric,
              bestEpoch,
              elapsedSeconds(),
              log.rows());
      hooks.progress().onEnd(result);
      return result;
    }

    private record EpochEnd(boolean budgetCrossed, boolean stopEarly) {}

    private EpochEnd runEpoch(StepRunner steps, int epoch) throws IOException {
      long epochStart = now();
      Meter meter = new Meter();
      int batches = train.batchesPerEpoch();
      boolean crossed = false;
      Iterator<Batch> it = train.epoch(epochSeed(config.seed(), epoch));
      int batchIndex = 0;
      while (it.hasNext()) {
        Batch batch = it.next();
        check(batch, "training", epoch, batchIndex + 1);
        double rate = currentRate();
        lr.set(rate);
        StepRunner.StepLoss loss = steps.train(batch);
        if (!loss.finite()) {
          throw nonFinite(loss.total(), epoch, batchIndex + 1, batches);
        }
        batchIndex++;
        globalStep++;
        sessionSteps++;
        lastFiniteLoss = loss.total();
        meter.add(loss);
        calibrate();
        double epochSeconds = (now() - epochStart) / 1e9;
        hooks
            .progress()
            .onBatch(
                new ProgressListener.BatchProgress(
                    epoch,
                    batchIndex,
                    batches,
                    globalStep,
                    horizon,
                    meter.total(),
                    rate,
                    meter.images() / Math.max(epochSeconds, 1e-9),
                    eta(epochSeconds / batchIndex),
                    elapsedSeconds()));
        if (budgetExhausted()) {
          crossed = true;
          break;
        }
      }
      if (batchIndex == 0) {
        throw new IllegalStateException("training source yielded no batch in epoch " + epoch);
      }
      double trainSeconds = (now() - epochStart) / 1e9;
      Meter val = validate(steps, epoch);
      double map = evaluateMap(epoch);
      double epochSeconds = (now() - epochStart) / 1e9;
      EpochReport report =
          new EpochReport(
              epoch,
              globalStep,
              lr.get(),
              meter.total(),
              meter.classPart(),
              meter.locPart(),
              meter.extra(),
              val == null ? Double.NaN : val.total(),
              val == null ? Double.NaN : val.classPart(),
              val == null ? Double.NaN : val.locPart(),
              map,
              meter.images() / Math.max(trainSeconds, 1e-9),
              epochSeconds,
              ProcessMemory.residentMegabytes());
      epochsCompleted = epoch;
      if (config.minutes() > 0) {
        secondsPerStep = epochSeconds / batchIndex; // overheads amortised over the epoch's steps
        reestimateHorizon();
      }
      double metric = val == null ? report.trainLoss() : report.valLoss();
      boolean improved = metric < bestMetric;
      if (improved) {
        bestMetric = metric;
        bestEpoch = epoch;
      }
      if (plateau != null && plateau.onEpochEnd(metric, schedule.rate(globalStep, horizon))) {
        LOG.info(
            "epoch {}: {} has not improved for {} epochs; learning-rate multiplier now {}",
            epoch,
            monitor,
            config.plateau().patience(),
            plateau.multiplier());
      }
      boolean stop = earlyStopping != null && earlyStopping.onEpochEnd(metric);
      if (stop) {
        LOG.info(
            "epoch {}: early stopping, {} has not improved for {} epochs (best {} at epoch {})",
            epoch,
            monitor,
            config.earlyStopping().patience(),
            bestMetric,
            bestEpoch);
      }
      log.append(report);
      plotCurves();
      TrainingState state = state();
      JsonNode description = model.description() == null ? null : model.description().get();
      Checkpoints.write(runDir, Checkpoints.LAST, model.model(), state, description);
      if (improved) {
        Checkpoints.copy(runDir, Checkpoints.LAST, Checkpoints.BEST);
      }
      hooks.progress().onEpochEnd(report);
      for (EpochListener listener : hooks.listeners()) {
        listener.onEpochEnd(report, model.model());
      }
      return new EpochEnd(crossed, stop);
    }

    /** Curves are a convenience: a headless machine without fonts must not end a long run. */
    private void plotCurves() {
      try {
        CurvePlot.write(runDir, log.rows());
      } catch (IOException | RuntimeException | LinkageError | java.awt.AWTError e) {
        LOG.warn("could not draw the loss curves in {}: {}", runDir, e.toString());
      }
    }

    private Meter validate(StepRunner steps, int epoch) {
      if (validation == null) {
        return null;
      }
      hooks.progress().onValidation(epoch, validation.batchesPerEpoch());
      Meter meter = new Meter();
      Iterator<Batch> it = validation.epoch(config.seed());
      int index = 0;
      while (it.hasNext()) {
        Batch batch = it.next();
        check(batch, "validation", epoch, ++index);
        meter.add(steps.validate(batch));
      }
      if (index == 0) {
        throw new IllegalStateException("validation source yielded no batch in epoch " + epoch);
      }
      return meter;
    }

    private double evaluateMap(int epoch) throws IOException {
      if (hooks.evaluator() == null) {
        return Double.NaN;
      }
      OptionalDouble map = hooks.evaluator().meanAveragePrecision(epoch, model.model());
      return map.isPresent() ? map.getAsDouble() : Double.NaN;
    }

    private void check(Batch batch, String which, int epoch, int index) {
      BatchSource source = "training".equals(which) ? train : validation;
      if (batch.imageHeight() != source.imageHeight()
          || batch.imageWidth() != source.imageWidth()
          || batch.anchorCount() != source.anchorCount()) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "%s batch %d of epoch %d has images %dx%d with %d anchors; the source declares"
                    + " %dx%d with %d anchors",
                which,
                index,
                epoch,
                batch.imageHeight(),
                batch.imageWidth(),
                batch.anchorCount(),
                source.imageHeight(),
                source.imageWidth(),
                source.anchorCount()));
      }
    }

    private NonFiniteLossException nonFinite(double value, int epoch, int batch, int batches)
        throws IOException {
      boolean hasCheckpoint = Checkpoints.locate(runDir, Checkpoints.LAST).isPresent();
      String message =
          String.format(
              Locale.ROOT,
              "training stopped: the loss is %s at epoch %d, batch %d/%d (global step %d); the"
                  + " last finite loss was %s%s. This batch did not update the parameters. %s",
              value,
              epoch,
              batch,
              batches,
              globalStep + 1,
              Double.isNaN(lastFiniteLoss)
                  ? "none (first step)"
                  : String.format(Locale.ROOT, "%.6g", lastFiniteLoss),
              Double.isNaN(lastFiniteLoss) ? "" : " at step " + globalStep,
              hasCheckpoint
                  ? "The last good checkpoint (epoch "
                      + epochsCompleted
                      + ") is kept in "
                      + runDir.resolve(Checkpoints.LAST)
                      + "."
                  : "No checkpoint had been written yet.");
      return new NonFiniteLossException(message, epoch, globalStep, lastFiniteLoss);
    }

    private double currentRate() {
      double rate = schedule.rate(globalStep, horizon);
      if (plateau != null) {
        rate *= plateau.multiplier();
      }
      if (resumed && sessionSteps < config.resumeWarmupSteps()) {
        rate *= (sessionSteps + 1.0) / config.resumeWarmupSteps();
      }
      return rate;
    }

    private long epochHorizon() {
      return config.epochs() == 0
          ? Long.MAX_VALUE
          : (long) config.epochs() * train.batchesPerEpoch();
    }

    /** The first horizon estimate of a session, from steps 2 to 1 + CALIBRATION_STEPS. */
    private void calibrate() {
      if (config.minutes() == 0) {
        return;
      }
      if (sessionSteps == 1) {
        calibrationStart = now(); // the first step pays one-off costs; time the following ones
      } else if (sessionSteps == 1 + CALIBRATION_STEPS && calibrationStart >= 0) {
        secondsPerStep = (now() - calibrationStart) / 1e9 / CALIBRATION_STEPS;
        reestimateHorizon();
      }
    }

    private void reestimateHorizon() {
      if (!(secondsPerStep > 0)) {
        return;
      }
      double remaining = Math.max(0, config.minutes() * 60 - elapsedSeconds());
      long byTime = globalStep + (long) Math.floor(remaining / secondsPerStep);
      horizon = Math.max(globalStep, Math.min(epochHorizon(), byTime));
    }

    private double eta(double recentSecondsPerStep) {
      double eta = Double.NaN;
      if (horizon != Long.MAX_VALUE) {
        eta = (horizon - globalStep) * recentSecondsPerStep;
      }
      if (config.minutes() > 0) {
        double remaining = Math.max(0, config.minutes() * 60 - elapsedSeconds());
        eta = Double.isNaN(eta) ? remaining : Math.min(eta, remaining);
      }
      return eta;
    }

    private boolean budgetExhausted() {
      return config.minutes() > 0 && elapsedSeconds() >= config.minutes() * 60;
    }

    private long now() {
      return hooks.nanoTime().getAsLong();
    }

    private double elapsedSeconds() {
      return elapsedBefore + (now() - sessionStart) / 1e9;
    }

    private TrainingState state() {
      return new TrainingState(
          TrainingState.FORMAT_VERSION,
          epochsCompleted,
          globalStep,
          horizon,
          lr.get(),
          plateau == null ? 1.0 : plateau.multiplier(),
          plateau == null ? null : plateau.state(),
          earlyStopping == null ? null : earlyStopping.state(),
          monitor,
          bestMetric,
          bestEpoch,
          lastFiniteLoss,
          elapsedSeconds(),
          secondsPerStep,
          config);
    }
  }

  /** Image-weighted means of step losses. */
  private static final class Meter {
    private long images;
    private double total;
    private double classPart;
    private double locPart;
    private double extra;

    void add(StepRunner.StepLoss s) {
      images += s.images();
      total += s.total() * s.images();
      classPart += s.classPart() * s.images();
      locPart += s.locPart() * s.images();
      extra += s.extra() * s.images();
    }

    long images() {
      return images;
    }

    double total() {
      return total / images;
    }

    double classPart() {
      return classPart / images;
    }

    double locPart() {
      return locPart / images;
    }

    double extra() {
      return extra / images;
    }
  }
}
