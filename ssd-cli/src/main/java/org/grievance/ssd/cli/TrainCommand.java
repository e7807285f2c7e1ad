package org.grievance.ssd.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.DatasetSpec;
import org.grievance.ssd.eval.ThresholdRule;
import org.grievance.ssd.infer.DatasetPredictions;
import org.grievance.ssd.loss.FocalLossConfig;
import org.grievance.ssd.loss.NegativeMining;
import org.grievance.ssd.loss.SsdLossConfig;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.train.OptimizerConfig;
import org.grievance.ssd.train.OptimizerConfig.OptimizerKind;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.train.TrainingResult;
import org.grievance.ssd.training.DetectorTraining;
import org.grievance.ssd.training.DetectorTraining.Augmentation;
import org.grievance.ssd.training.FineTuning;
import org.grievance.ssd.training.InputSize;
import org.grievance.ssd.training.MachineResources;
import org.grievance.ssd.training.TrainingData;
import org.grievance.ssd.training.TrainingPlan;
import org.grievance.ssd.training.TrainingRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ssd train}: trains a detector on a dataset. Everything has a default chosen to give a
 * well-trained model from only {@code --data} and {@code --out}; {@code --minutes} bounds the run
 * and lays the cosine schedule out over the budget.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains a detector. With only --data and --out it trains SSD7 for 30 minutes with Adam,"
          + " warm-up and a cosine schedule laid out over the time budget.",
      "The run directory gets last/ and best/ checkpoints (self-describing model directories for"
          + " predict/evaluate/serve), log.csv, loss.png and map.png. --out RUN_DIR --resume"
          + " continues a stopped run.",
      "A VOC directory trains on its 'train' image set when it has one and --split names none,"
          + " and validates on its 'val' image set when --val names no other dataset.",
      "With validation images, training ends by choosing a score threshold per class on them"
          + " (as ssd calibrate does) and storing it in best/ and last/ model.json."
    })
public final class TrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      defaultValue = "ssd7",
      paramLabel = "NAME",
      description =
          "Architecture: any registered name, e.g. ssd7 (default), ssd300, ssd512 or"
              + " mobilenetv2-ssdlite; an unknown name lists the known ones. Ignored with --init.")
  String model;

  @Option(
      names = "--init",
      paramLabel = "MODEL_DIR",
      description =
          "Start from this model directory's weights and description (e.g. from 'ssd weights"
              + " import' then 'ssd weights subsample' to the dataset's classes).")
  Path init;

  @Option(
      names = "--freeze",
      split = ",",
      paramLabel = "PREFIX",
      description =
          "Layers not to train, by name or name prefix (e.g. conv1_,conv2_,conv3_ for SSD300).")
  List<String> freeze;

  @Option(
      names = "--lr-mult",
      split = ",",
      paramLabel = "PREFIX=FACTOR",
      description = "Learning-rate factor for layers by name prefix (e.g. conv4_3_norm_mbox=10).")
  Map<String, Double> lrMultipliers;

  @Mixin DatasetOptions dataset;

  @Option(
      names = "--val",
      paramLabel = "DATASET",
      description =
          "Validation dataset (same forms as --data). Default: the --data VOC directory's 'val'"
              + " split when it has one.")
  Path val;

  @Option(names = "--val-split", paramLabel = "NAME", description = "Validation split.")
  String valSplit;

  @Option(names = "--out", required = true, paramLabel = "RUN_DIR", description = "Run directory.")
  Path out;

  @Option(
      names = "--resume",
      description = "Continue the run in --out where it stopped (same data and settings).")
  boolean resume;

  @Option(names = "--epochs", description = "Epoch limit (default: none with --minutes).")
  Integer epochs;

  @Option(
      names = "--minutes",
      description = "Time budget in minutes (default: 30 when --epochs is not given).")
  Double minutes;

  @Option(names = "--batch", description = "Batch size (default: 16).")
  Integer batch;

  @Option(
      names = "--lr",
      paramLabel = "LR",
      description =
          "Peak learning rate (default: 3e-3 for SSD7 trained from scratch, 1e-3 otherwise:"
              + " the VGG and MobileNet models and any --init fine-tuning).")
  Double lr;

  @Option(
      names = "--optimizer",
      paramLabel = "NAME",
      converter = OptimizerWords.class,
      completionCandidates = OptimizerWords.class,
      description = "Optimizer: ${COMPLETION-CANDIDATES} (default: adam; sgd uses momentum 0.9).")
  OptimizerKind optimizer;

  @Option(
      names = "--schedule",
      paramLabel = "SHAPE",
      converter = ScheduleWords.class,
      completionCandidates = ScheduleWords.class,
      description =
          "Learning-rate schedule: ${COMPLETION-CANDIDATES} (default: cosine to 1%% of --lr;"
              + " step: ×0.1 at --milestones; plateau: constant, ×0.2 when validation loss"
              + " stalls for 8 epochs).")
  TrainingRecipe.Schedule schedule;

  @Option(
      names = "--milestones",
      split = ",",
      paramLabel = "STEP,STEP",
      description = "Steps at which the step schedule multiplies the rate by 0.1.")
  List<Long> milestones;

  @Option(names = "--warmup", description = "Linear warm-up steps (default: 200).")
  Long warmup;

  @Option(
      names = "--weight-decay",
      description = "L2 factor on convolution kernels, as the reference (default: 5e-4).")
  Double weightDecay;

  @Option(
      names = "--image-size",
      paramLabel = "HxW",
      converter = ImageSize.Converter.class,
      description =
          "Model input size. Default: the training images' most common size, scaled down so"
              + " that the longer side is at most 480, rounded to multiples of 16; for ssd7 in a"
              + " run that only its time budget ends, down to 0.8 of that when a few measured"
              + " steps say the budget gives fewer than 16 epochs.")
  ImageSize imageSize;

  @Option(
      names = "--anchors",
      paramLabel = "SOURCE",
      converter = AnchorsWords.class,
      completionCandidates = AnchorsWords.class,
      description =
          "Anchors: ${COMPLETION-CANDIDATES}. The model's own, for ssd7 the reference notebook's"
              + " (scales 0.08..0.96, ratios 0.5, 1, 2; reference, default), or for ssd7 scales"
              + " and aspect ratios fitted to the training boxes' sizes (auto, experimental).")
  TrainingRecipe.Anchors anchors;

  @Option(
      names = "--variances",
      split = ",",
      paramLabel = "V",
      description =
          "The 4 box-offset variances (cx, cy, w, h) the encoder divides by (default for ssd7:"
              + " the SSD paper's 0.1,0.1,0.2,0.2, not the SSD7 notebook's 1,1,1,1, which"
              + " localises far worse in a short run; other models: their own).")
  double[] variances;

  @Option(
      names = "--augment",
      paramLabel = "CHAIN",
      converter = AugmentWords.class,
      completionCandidates = AugmentWords.class,
      description =
          "Augmentation: ${COMPLETION-CANDIDATES}. The reference SSD7 chain at half its"
              + " probabilities (light, default), the reference chain (constant), the original"
              + " SSD chain (ssd), or none.")
  Augmentation augment;

  @Option(
      names = "--mining",
      paramLabel = "WHERE",
      converter = MiningWords.class,
      completionCandidates = MiningWords.class,
      description =
          "Hard negative mining: ${COMPLETION-CANDIDATES}. Across the batch (batch, the"
              + " reference, default) or per image.")
  NegativeMining mining;

  @Option(
      names = "--loss",
      paramLabel = "TERM",
      converter = LossWords.class,
      completionCandidates = LossWords.class,
      description =
          "Classification term: ${COMPLETION-CANDIDATES}. Softmax cross-entropy on positives"
              + " and hard negatives (standard, the reference, default) or Lin et al.'s focal"
              + " loss on every non-neutral anchor, no mining (focal).")
  ClassificationLoss loss;

  @Option(
      names = "--focal-alpha",
      description =
          "Focal loss weight of object anchors; background gets 1 - alpha; -1 = no balancing"
              + " (default: 0.25).")
  Double focalAlpha;

  @Option(
      names = "--focal-gamma",
      description = "Focal loss focusing parameter gamma, 0 = cross-entropy (default: 2).")
  Double focalGamma;

  @Option(
      names = "--focal-prior",
      description =
          "With --loss focal, the class heads start with this probability for all object"
              + " classes together; 0 = zero biases (default: 0.01).")
  Double focalPrior;

  @Option(
      names = "--map-every",
      description = "Validation VOC07 mAP every N epochs, 0 = never (default: 5).")
  Integer mapEvery;

  @Option(
      names = "--map-images",
      description = "Validation images used for the mAP (default: 300; 0 = all).")
  Integer mapImages;

  @Option(
      names = "--early-stopping",
      description = "Stop after N epochs without validation-loss improvement, 0 = off (10).")
  Integer patience;

  @Option(names = "--workers", description = "Loader threads (default: cores).")
  Integer workers;

  @Option(names = "--threads", description = "Model threads (default: cores).")
  Integer threads;

  @Option(
      names = "--cache",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Keep decoded, resized images in memory (default: on, within 2 GB).")
  boolean cache;

  @Option(names = "--seed", description = "Random seed (default: 42).")
  Long seed;

  @Option(
      names = "--calibrate",
      defaultValue = "f1",
      paramLabel = "RULE",
      converter = CalibrationWords.class,
      completionCandidates = CalibrationWords.class,
      description =
          "Per-class score thresholds chosen on the validation images after training:"
              + " ${COMPLETION-CANDIDATES}. At each class's best F1 (f1, default), at the lowest"
              + " score reaching --target-precision (precision), or none.")
  Calibration calibrate;

  @Option(
      names = "--target-precision",
      paramLabel = "P",
      description = "The precision --calibrate precision must reach (default: 0.9).")
  Double targetPrecision;

  @Override
  public Integer call() throws Exception {
    PrintWriter pw = spec.commandLine().getOut();
    ThresholdRule thresholdRule = thresholdRule();
    MachineResources machine = machine(Runtime.getRuntime().availableProcessors());
    if (resume) {
      return resume(pw, machine, thresholdRule);
    }
    TrainingPlan plan = plan(machine);
    ModelDescription d = plan.description();
    pw.println(plan.origin());
    pw.printf(
        Locale.ROOT,
        "training %s %s on %d images (%d objects, %d classes), validating on %s; run dir %s%n",
        d.architecture(),
        new InputSize(d.inputHeight(), d.inputWidth()),
        plan.setup().train().samples().size(),
        plan.setup().train().objectCount(),
        d.classNames().size(),
        plan.setup().validation() == null
            ? "nothing"
            : plan.setup().validation().samples().size() + " images",
        out);
    pw.flush();
    TrainingResult result = DetectorTraining.train(plan, out, ProgressBarListener.forConsole());
    report(pw, result);
    calibrate(pw, plan.setup().validation(), thresholdRule);
    return 0;
  }

  /** {@code --calibrate} and {@code --target-precision}; {@code null} for none. */
  ThresholdRule thresholdRule() {
    if (calibrate == Calibration.NONE) {
      if (targetPrecision != null) {
        throw new IllegalArgumentException(
            "--target-precision " + targetPrecision + " needs --calibrate precision");
      }
      return null;
    }
    return CalibrateCommand.rule(
        calibrate == Calibration.F1 ? ThresholdRule.Kind.F1 : ThresholdRule.Kind.PRECISION,
        targetPrecision,
        "--calibrate precision");
  }

  /** Chooses the per-class thresholds of the run's checkpoints on the validation images. */
  private void calibrate(PrintWriter pw, Dataset validation, ThresholdRule rule)
      throws IOException {
    if (rule == null) {
      return;
    }
    if (validation == null) {
      pw.println(
          "no validation images, so no per-class thresholds (ssd calibrate --model "
              + out
              + " --data VAL chooses them later)");
      pw.flush();
      return;
    }
    pw.printf(
        Locale.ROOT,
        "choosing per-class thresholds on %d validation images%n",
        validation.samples().size());
    pw.flush();
    CalibrateCommand.report(
        pw,
        out,
        DetectorTraining.calibrate(out, validation, rule, DatasetPredictions.Progress.NONE));
  }

  /** The new run these options describe: the recipe's (option errors before the data is read). */
  TrainingPlan plan(MachineResources machine) throws IOException {
    TrainingRecipe recipe = recipe();
    FineTuning fineTuning = new FineTuning(init, freeze, lrMultipliers);
    return TrainingPlan.of(recipe, loadData(), fineTuning, machine)
        .withProvenanceFact("command", "ssd train " + String.join(" ", originalArgs()));
  }

  private List<String> originalArgs() {
    return spec.commandLine().getParseResult().originalArgs();
  }

  /**
   * The registered architecture {@code --model} names (case-insensitive), with an error listing the
   * known ones otherwise. Architectures from jars on the class path register themselves through
   * {@link java.util.ServiceLoader} (see
   * docs/beyond-the-reference.md#adding-your-own-base-network).
   */
  static SsdModels.Architecture architecture(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    if (!SsdModels.names().contains(key)) {
      throw new IllegalArgumentException(
          "--model "
              + name
              + " is not a registered architecture; known: "
              + String.join(", ", SsdModels.names()));
    }
    return SsdModels.architecture(key);
  }

  private int resume(PrintWriter pw, MachineResources machine, ThresholdRule thresholdRule)
      throws Exception {
    ModelDescription description = DetectorTraining.savedDescription(out);
    TrainingRecipe recipe = recipe();
    TrainingData data = loadData();
    pw.println("resuming " + out);
    pw.flush();
    DetectorTraining.Setup setup = TrainingPlan.setup(recipe, description, data, machine);
    TrainingResult result =
        DetectorTraining.resume(
            setup,
            out,
            c -> {
              TrainConfig.Builder b = c.toBuilder();
              if (epochs != null) {
                b.epochs(epochs);
              }
              if (minutes != null) {
                b.minutes(minutes);
              }
              return b.build();
            },
            ProgressBarListener.forConsole());
    report(pw, result);
    calibrate(pw, setup.validation(), thresholdRule);
    return 0;
  }

  private MachineResources machine(int cores) {
    return new MachineResources(
        workers == null ? cores : workers, threads == null ? cores : threads, cache);
  }

  /** The training loop's configuration of a new run. */
  TrainConfig trainConfig(int cores) {
    return recipe().trainConfig(init != null, machine(cores).modelThreads());
  }

  /** {@code --model}'s recipe with the options given. */
  TrainingRecipe recipe() {
    TrainingRecipe base = TrainingRecipe.forArchitecture(architecture(model).name());
    TrainingRecipe.Builder b = base.toBuilder().limits(epochs, minutes);
    if (imageSize != null) {
      b.inputSize(imageSize.height(), imageSize.width());
    }
    if (variances != null) {
      b.variances(Arrays.stream(variances).boxed().toList());
    }
    if (anchors != null) {
      b.anchors(anchors);
    }
    if (weightDecay != null) {
      b.l2WeightDecay(weightDecay);
    }
    if (optimizer != null) {
      b.optimizer(OptimizerConfig.of(optimizer));
    }
    if (lr != null) {
      b.learningRate(lr);
    }
    if (schedule != null) {
      b.schedule(schedule);
    }
    b.milestones(milestones);
    if (warmup != null) {
      b.warmupSteps(warmup);
    }
    if (augment != null) {
      b.augmentation(augment);
    }
    if (batch != null) {
      b.batchSize(batch);
    }
    b.loss(loss(base.loss()));
    if (mapEvery != null) {
      b.mapEvery(mapEvery);
    }
    if (mapImages != null) {
      b.mapImages(mapImages);
    }
    if (patience != null) {
      b.earlyStoppingPatience(patience);
    }
    if (seed != null) {
      b.seed(seed);
    }
    return b.build();
  }

  /** {@code recipe} with {@code --mining}, {@code --loss} and the focal options. */
  private SsdLossConfig loss(SsdLossConfig recipe) {
    SsdLossConfig.Builder b = recipe.toBuilder();
    if (mining != null) {
      b.mining(mining);
    }
    if (loss != null) {
      FocalLossConfig d = FocalLossConfig.defaults();
      b.focal(
          loss == ClassificationLoss.STANDARD
              ? null
              : new FocalLossConfig(
                  focalAlpha == null ? d.alpha() : focalAlpha,
                  focalGamma == null ? d.gamma() : focalGamma,
                  focalPrior == null ? d.priorProbability() : focalPrior));
    }
    return b.build();
  }

  private TrainingData loadData() {
    return TrainingData.load(
        dataset.spec(), val == null ? null : DatasetSpec.builder(val).split(valSplit).build());
  }

  /** {@code --loss}: the classification term. */
  enum ClassificationLoss {
    /** The reference's softmax cross-entropy on positives and hard negatives. */
    STANDARD,
    /** The focal loss on every non-neutral anchor. */
    FOCAL
  }

  /** {@code --calibrate}: how the per-class thresholds are chosen after training. */
  enum Calibration {
    /** At each class's best F1. */
    F1,
    /** At the lowest score that reaches the target precision. */
    PRECISION,
    /** No per-class thresholds. */
    NONE
  }

  /** {@code --calibrate}. */
  static final class CalibrationWords extends OptionWords<Calibration> {
    CalibrationWords() {
      super("--calibrate", Calibration.class);
    }
  }

  /** {@code --optimizer}. */
  static final class OptimizerWords extends OptionWords<OptimizerKind> {
    OptimizerWords() {
      super("--optimizer", OptimizerKind.class);
    }
  }

  /** {@code --schedule}. */
  static final class ScheduleWords extends OptionWords<TrainingRecipe.Schedule> {
    ScheduleWords() {
      super("--schedule", TrainingRecipe.Schedule.class);
    }
  }

  /** {@code --anchors}. */
  static final class AnchorsWords extends OptionWords<TrainingRecipe.Anchors> {
    AnchorsWords() {
      super("--anchors", TrainingRecipe.Anchors.class);
    }
  }

  /** {@code --augment}. */
  static final class AugmentWords extends OptionWords<Augmentation> {
    AugmentWords() {
      super("--augment", Augmentation.class);
    }
  }

  /** {@code --mining}: {@code batch} or {@code image}. */
  static final class MiningWords extends OptionWords<NegativeMining> {
    MiningWords() {
      super(
          "--mining", NegativeMining.class, m -> m == NegativeMining.PER_IMAGE ? "image" : "batch");
    }
  }

  /** {@code --loss}. */
  static final class LossWords extends OptionWords<ClassificationLoss> {
    LossWords() {
      super("--loss", ClassificationLoss.class);
    }
  }

  private static void report(PrintWriter pw, TrainingResult r) {
    pw.printf(
        Locale.ROOT,
        "done (%s): %d epochs, %d steps, best %s %.4f at epoch %d%n",
        r.reason(),
        r.epochsCompleted(),
        r.globalStep(),
        r.monitor(),
        r.bestMetric(),
        r.bestEpoch());
    pw.flush();
  }
}
