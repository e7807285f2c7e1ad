package org.grievance.ssd.train;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs training epochs: for each batch, the lr from the schedule, plateau multiplier and
 * post-resume warm-up ({@link EffectiveLearningRate}); forward, SSD loss plus extra term, backward,
 * update (see {@link StepRunner}); after each epoch validation loss, optional mAP, plateau and
 * early-stopping bookkeeping ({@link MonitoredLoss}), {@code log.csv}, loss curves, and the {@code
 * last}/{@code best} checkpoints ({@link RunRecorder}, {@link Checkpoints}), then the epoch
 * listeners. {@link EpochLoop} runs the epochs of a session; this class starts or resumes one.
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
 * overheads), so a cosine reaches its floor when the budget ends ({@link TimeBudget}).
 *
 * <p><b>Non-finite loss.</b> A NaN or infinite loss stops the run with {@link
 * NonFiniteLossException} before that batch updates anything, keeping the last checkpoint.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

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
    return new EpochLoop(config, model, train, validation, runDir, hooks, null).run();
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
    return new EpochLoop(config, model, train, validation, runDir, hooks, state).run();
  }

  /** Initialises the block for the source's image size (before parameters are loaded). */
  private static void initializeBlock(Model model, BatchSource source) {
    Block block = model.getBlock();
    if (!block.isInitialized()) {
      block.initialize(model.getNDManager(), model.getDataType(), inputShape(source));
    }
  }

  /** {@code (1, 3, H, W)} of the source's images. */
  static Shape inputShape(BatchSource source) {
    return new Shape(1, 3, source.imageHeight(), source.imageWidth());
  }

  /** The data order of an epoch depends only on the run's seed and the epoch. */
  static long epochSeed(long seed, int epoch) {
    long z = seed + 0x9E3779B97F4A7C15L * epoch;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
