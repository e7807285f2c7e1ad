package org.grievance.ssd.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.training.DefaultTrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.OptionalDouble;
import org.grievance.ssd.engine.NativeAllocator;
import org.grievance.ssd.engine.ProcessMemory;
import org.grievance.ssd.engine.ThreadSettings;
import org.grievance.ssd.loss.SsdLoss;
import org.grievance.ssd.train.TrainingResult.StopReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session of a run ({@link Trainer#train} or {@link Trainer#resume}): the epochs, each its
 * batches, validation, optional mAP and the end-of-epoch bookkeeping, until the epoch limit, the
 * time budget or early stopping ends the run. The rate comes from {@link EffectiveLearningRate},
 * the clock and horizon from {@link TimeBudget}, the best epoch and early stopping from {@link
 * MonitoredLoss}; {@link RunRecorder} writes what each epoch leaves behind.
 */
final class EpochLoop {
  private static final Logger LOG = LoggerFactory.getLogger(EpochLoop.class);

  private final TrainConfig config;
  private final TrainingModel model;
  private final BatchSource train;
  private final BatchSource validation;
  private final Path runDir;
  private final TrainingHooks hooks;
  private final boolean resumed;
  private final TimeBudget budget;
  private final EffectiveLearningRate rate;
  private final MonitoredLoss monitor;
  private final RunRecorder recorder;

  private int epochsCompleted;
  private long globalStep;
  private double lastFiniteLoss;
  private long sessionSteps;

  /**
   * @param state the saved state to continue from, or {@code null} for a new run
   */
  EpochLoop(
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
    if (train.batchesPerEpoch() <= 0) {
      throw new IllegalArgumentException(
          "training source has no batches (batchesPerEpoch=" + train.batchesPerEpoch() + ")");
    }
    this.monitor = new MonitoredLoss(config, validation != null, state);
    if (state == null) {
      budget = TimeBudget.start(config, train.batchesPerEpoch(), hooks.nanoTime());
      epochsCompleted = 0;
      globalStep = 0;
      lastFiniteLoss = Double.NaN;
      recorder = RunRecorder.create(runDir, model);
    } else {
      budget = TimeBudget.resume(config, train.batchesPerEpoch(), hooks.nanoTime(), state);
      epochsCompleted = state.epochsCompleted();
      globalStep = state.globalStep();
      lastFiniteLoss = state.lastFiniteLoss();
      recorder = RunRecorder.resume(runDir, model, epochsCompleted);
    }
    this.rate =
        new EffectiveLearningRate(
            config, state == null ? null : state.plateau(), resumed, globalStep, budget.horizon());
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
            .optOptimizer(rate.optimizer(config.optimizer(), model.lrMultipliers()))
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
      djl.initialize(Trainer.inputShape(train));
      StepRunner steps = new StepRunner(djl, new SsdLoss(config.loss()), model.extraLoss());
      while (true) {
        if (config.epochs() > 0 && epochsCompleted >= config.epochs()) {
          reason = StopReason.EPOCHS_DONE;
          break;
        }
        if (budget.exhausted()) {
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
            monitor.name(),
            monitor.best(),
            monitor.bestEpoch(),
            budget.elapsedSeconds(),
            recorder.rows());
    hooks.progress().onEnd(result);
    return result;
  }

  private record EpochEnd(boolean budgetCrossed, boolean stopEarly) {}

  private EpochEnd runEpoch(StepRunner steps, int epoch) throws IOException {
    long epochStart = budget.now();
    LossMeter meter = new LossMeter();
    int batches = train.batchesPerEpoch();
    boolean crossed = false;
    Iterator<Batch> it = train.epoch(Trainer.epochSeed(config.seed(), epoch));
    int batchIndex = 0;
    while (it.hasNext()) {
      Batch batch = it.next();
      check(batch, "training", epoch, batchIndex + 1);
      double stepRate = rate.rate(globalStep, budget.horizon(), sessionSteps);
      rate.set(stepRate);
      StepRunner.StepLoss loss = steps.train(batch);
      if (!loss.finite()) {
        throw nonFinite(loss.total(), epoch, batchIndex + 1, batches);
      }
      batchIndex++;
      globalStep++;
      sessionSteps++;
      lastFiniteLoss = loss.total();
      meter.add(loss);
      budget.afterStep(sessionSteps, globalStep);
      double epochSeconds = (budget.now() - epochStart) / 1e9;
      hooks
          .progress()
          .onBatch(
              new ProgressListener.BatchProgress(
                  epoch,
                  batchIndex,
                  batches,
                  globalStep,
                  budget.horizon(),
                  meter.total(),
                  stepRate,
                  meter.images() / Math.max(epochSeconds, 1e-9),
                  budget.eta(globalStep, epochSeconds / batchIndex),
                  budget.elapsedSeconds()));
      if (budget.exhausted()) {
        crossed = true;
        break;
      }
    }
    if (batchIndex == 0) {
      throw new IllegalStateException("training source yielded no batch in epoch " + epoch);
    }
    double trainSeconds = (budget.now() - epochStart) / 1e9;
    LossMeter val = validate(steps, epoch);
    double map = evaluateMap(epoch);
    double epochSeconds = (budget.now() - epochStart) / 1e9;
    EpochReport report =
        new EpochReport(
            epoch,
            globalStep,
            rate.current(),
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
    budget.afterEpoch(epochSeconds, batchIndex, globalStep);
    double metric = val == null ? report.trainLoss() : report.valLoss();
    boolean improved = monitor.improves(epoch, metric);
    if (rate.onEpochEnd(metric, globalStep, budget.horizon())) {
      LOG.info(
          "epoch {}: {} has not improved for {} epochs; learning-rate multiplier now {}",
          epoch,
          monitor.name(),
          config.plateau().patience(),
          rate.plateauMultiplier());
    }
    boolean stop = monitor.stopsEarly(metric);
    if (stop) {
      LOG.info(
          "epoch {}: early stopping, {} has not improved for {} epochs (best {} at epoch {})",
          epoch,
          monitor.name(),
          config.earlyStopping().patience(),
          monitor.best(),
          monitor.bestEpoch());
    }
    recorder.record(report, state(), improved);
    hooks.progress().onEpochEnd(report);
    for (EpochListener listener : hooks.listeners()) {
      listener.onEpochEnd(report, model.model());
    }
    return new EpochEnd(crossed, stop);
  }

  private LossMeter validate(StepRunner steps, int epoch) {
    if (validation == null) {
      return null;
    }
    hooks.progress().onValidation(epoch, validation.batchesPerEpoch());
    LossMeter meter = new LossMeter();
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

  private TrainingState state() {
    return new TrainingState(
        TrainingState.FORMAT_VERSION,
        epochsCompleted,
        globalStep,
        budget.horizon(),
        rate.current(),
        rate.plateauMultiplier(),
        rate.plateauState(),
        monitor.earlyStoppingState(),
        monitor.name(),
        monitor.best(),
        monitor.bestEpoch(),
        lastFiniteLoss,
        budget.elapsedSeconds(),
        budget.secondsPerStep(),
        config);
  }
}
