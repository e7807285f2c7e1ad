package org.grievance.ssd.training;

import ai.djl.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.UnaryOperator;
import org.grievance.ssd.anchor.AnchorGenerator;
import org.grievance.ssd.augment.Background;
import org.grievance.ssd.augment.ConstantInputSizeAugmentation;
import org.grievance.ssd.augment.SsdAugmentation;
import org.grievance.ssd.augment.Transform;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.encode.SsdInputEncoder;
import org.grievance.ssd.eval.ApMetric;
import org.grievance.ssd.eval.DatasetEvaluation;
import org.grievance.ssd.eval.ThresholdCalibration;
import org.grievance.ssd.eval.ThresholdRule;
import org.grievance.ssd.infer.DatasetPredictions;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.infer.DetectorOptions;
import org.grievance.ssd.infer.ThresholdCalibrator;
import org.grievance.ssd.model.SsdHeads;
import org.grievance.ssd.model.SsdModel;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.store.CheckpointFiles;
import org.grievance.ssd.store.ModelDirectory;
import org.grievance.ssd.train.BatchSource;
import org.grievance.ssd.train.EpochEvaluator;
import org.grievance.ssd.train.L2Regularization;
import org.grievance.ssd.train.LossTerm;
import org.grievance.ssd.train.ProgressListener;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.train.Trainer;
import org.grievance.ssd.train.TrainingHooks;
import org.grievance.ssd.train.TrainingModel;
import org.grievance.ssd.train.TrainingResult;
import org.grievance.ssd.train.loader.DetectionBatchSource;
import org.grievance.ssd.train.loader.LoaderConfig;

/**
 * Trains a detector described by a {@link ModelDescription} on datasets: wires the anchors, the
 * encoder, the multi-threaded loaders, the model with its L2 term, the validation mAP and the
 * {@link Trainer}. What {@code ssd train} and the quickstart run.
 */
public final class DetectorTraining {
  private DetectorTraining() {}

  /** The augmentation chain applied to training images. */
  public enum Augmentation {
    /** None: images are only resized to the model input. */
    NONE,
    /**
     * The reference SSD7 chain (docs/reference-behaviour.md#the-ssd7-chain): photometric,
     * translate, zoom in/out, flip.
     */
    CONSTANT,
    /** The same chain at half the reference's probabilities: milder, often better on small data. */
    LIGHT,
    /**
     * The original SSD chain (docs/reference-behaviour.md#the-original-ssd-chain): photometric,
     * expand, IoU-constrained crop, flip, resize.
     */
    SSD;

    /** Parses {@code none|constant|light|ssd}. */
    public static Augmentation parse(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "augmentation must be none, constant, light or ssd, not '" + name + "'", e);
      }
    }

    /** The chain for the description's input size; {@code null} for {@link #NONE}. */
    public Transform create(ModelDescription d) {
      return switch (this) {
        case NONE -> null;
        case CONSTANT ->
            new ConstantInputSizeAugmentation(ConstantInputSizeAugmentation.Config.defaults());
        case LIGHT ->
            new ConstantInputSizeAugmentation(
                ConstantInputSizeAugmentation.Config.defaults().withProbabilities(0.25));
        case SSD ->
            new SsdAugmentation(
                new SsdAugmentation.Config(
                    d.inputHeight(), d.inputWidth(), new Background(123, 117, 104)));
      };
    }
  }

  /**
   * What to train on and how to feed it.
   *
   * @param description the model to build (architecture, input size, classes, anchors, ...)
   * @param train training images; their class list must equal the description's
   * @param validation validation images, or {@code null}
   * @param batchSize images per batch
   * @param augmentation chain for training images
   * @param workers loader threads
   * @param cacheImages keep decoded, resized images in memory (within the loader's budget)
   * @param mapEvery compute the validation VOC07 mAP every this many epochs (0: never)
   * @param mapMaxImages at most this many validation images for the mAP (0: all)
   */
  public record Setup(
      ModelDescription description,
      Dataset train,
      Dataset validation,
      int batchSize,
      Augmentation augmentation,
      int workers,
      boolean cacheImages,
      int mapEvery,
      int mapMaxImages) {
    public Setup {
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(train, "train");
      Objects.requireNonNull(augmentation, "augmentation");
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
      }
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be >= 1, got " + workers);
      }
      if (mapEvery < 0 || mapMaxImages < 0) {
        throw new IllegalArgumentException(
            "mapEvery and mapMaxImages must be >= 0, got " + mapEvery + ", " + mapMaxImages);
      }
      requireSameClasses(description, train, "training");
      if (validation != null) {
        requireSameClasses(description, validation, "validation");
      }
    }

    private static void requireSameClasses(ModelDescription d, Dataset ds, String what) {
      if (!d.classNames().equals(ds.classNames())) {
        throw new IllegalArgumentException(
            "the "
                + what
                + " dataset's classes "
                + ds.classNames()
                + " differ from the model's "
                + d.classNames());
      }
    }
  }

  /** Trains a new run into {@code runDir}. */
  public static TrainingResult train(
      Setup setup, TrainConfig config, Path runDir, ProgressListener progress) throws IOException {
    return train(setup, config, runDir, progress, FineTuning.none());
  }

  /**
   * Trains a new run into {@code runDir} starting from {@code fineTuning}'s weights with its frozen
   * layers and learning-rate multipliers. (A resumed run starts from its checkpoint and trains
   * every layer.)
   */
  public static TrainingResult train(
      Setup setup,
      TrainConfig config,
      Path runDir,
      ProgressListener progress,
      FineTuning fineTuning)
      throws IOException {
    Objects.requireNonNull(fineTuning, "fineTuning (use FineTuning.none())");
    return run(
        setup,
        runDir,
        progress,
        classPrior(config),
        (tm, train, val, hooks) ->
            Trainer.train(
                config,
                fineTuning.prepare(tm, setup.description(), config.seed()),
                train,
                val,
                runDir,
                hooks));
  }

  /**
   * Trains a detector the way {@code recipe} says, from fresh weights, using the whole machine:
   * with {@code TrainingRecipe.forArchitecture("ssd7")} and {@code
   * TrainingData.load(DatasetSpec.of(D))} the run {@code ssd train --data D --out RUN_DIR} makes.
   */
  public static TrainingResult train(
      TrainingRecipe recipe, TrainingData data, Path runDir, ProgressListener progress)
      throws IOException {
    return train(TrainingPlan.of(recipe, data), runDir, progress);
  }

  /** Trains the new run {@code plan} describes into {@code runDir}. */
  public static TrainingResult train(TrainingPlan plan, Path runDir, ProgressListener progress)
      throws IOException {
    return train(plan.setup(), plan.config(), runDir, progress, plan.fineTuning());
  }

  /**
   * The description saved in {@code runDir}'s last checkpoint: the model a {@link #resume} of it
   * must be set up with.
   *
   * @throws IllegalArgumentException if the run directory holds no complete checkpoint
   */
  public static ModelDescription savedDescription(Path runDir) throws IOException {
    return ModelDescription.read(
        CheckpointFiles.locate(runDir, CheckpointFiles.LAST)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        runDir + " holds no complete checkpoint to resume from"))
            .resolve(CheckpointFiles.DESCRIPTION_FILE));
  }

  /** Continues the run in {@code runDir}; {@code setup.description()} must be the saved one. */
  public static TrainingResult resume(
      Setup setup, Path runDir, UnaryOperator<TrainConfig> adjust, ProgressListener progress)
      throws IOException {
    return run(
        setup,
        runDir,
        progress,
        0, // the saved weights replace any initialisation
        (tm, train, val, hooks) -> Trainer.resume(runDir, adjust, tm, train, val, hooks));
  }

  /**
   * Chooses per-class confidence thresholds for the checkpoints of {@code runDir} ({@code best/}
   * and {@code last/}, each on its own weights; once when they hold the same weights) on {@code
   * validation} and writes them into their {@code model.json}: what {@code ssd train} does after
   * training when it has validation images.
   *
   * @return the calibration of each checkpoint found, by name ({@code best}, {@code last})
   */
  public static Map<String, ThresholdCalibration> calibrate(
      Path runDir, Dataset validation, ThresholdRule rule, DatasetPredictions.Progress progress)
      throws IOException {
    Objects.requireNonNull(validation, "validation");
    Map<String, ThresholdCalibration> out = new LinkedHashMap<>();
    Path calibrated = null;
    ThresholdCalibration calibration = null;
    for (String name : List.of(CheckpointFiles.BEST, CheckpointFiles.LAST)) {
      Optional<Path> checkpoint = CheckpointFiles.locate(runDir, name);
      if (checkpoint.isEmpty()) {
        continue;
      }
      if (calibrated != null && CheckpointFiles.sameParameters(calibrated, checkpoint.get())) {
        // The last epoch was the best: the same weights give the same thresholds.
        ModelDirectory dir = ModelDirectory.open(checkpoint.get());
        dir.rewriteDescription(
            ThresholdCalibrator.apply(dir.description(), calibration, validation.source()));
      } else {
        calibration = ThresholdCalibrator.calibrate(checkpoint.get(), validation, rule, progress);
        calibrated = checkpoint.get();
      }
      out.put(name, calibration);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(runDir + " holds no complete checkpoint to calibrate");
    }
    return Collections.unmodifiableMap(out);
  }

  @FunctionalInterface
  private interface Session {
    TrainingResult run(
        TrainingModel model, BatchSource train, BatchSource validation, TrainingHooks hooks)
        throws IOException;
  }

  /** The focal loss' class-head prior, 0 for none (see {@link SsdHeads#setClassPrior}). */
  private static double classPrior(TrainConfig config) {
    return config.loss().usesFocalLoss() ? config.loss().focal().priorProbability() : 0;
  }

  private static TrainingResult run(
      Setup setup, Path runDir, ProgressListener progress, double classPrior, Session session)
      throws IOException {
    ModelDescription d = setup.description();
    SsdInputEncoder encoder =
        new SsdInputEncoder(AnchorGenerator.generate(d.anchors()), d.encoder());
    try (Model model = Model.newInstance(d.architecture());
        DetectionBatchSource train =
            new DetectionBatchSource(
                LoaderConfig.builder(setup.train(), encoder)
                    .batchSize(setup.batchSize())
                    .augmentation(setup.augmentation().create(d))
                    .workers(setup.workers())
                    .cacheDecodedImages(setup.cacheImages())
                    .build());
        DetectionBatchSource validation =
            setup.validation() == null
                ? null
                : new DetectionBatchSource(
                    LoaderConfig.builder(setup.validation(), encoder)
                        .forValidation()
                        .batchSize(setup.batchSize())
                        .workers(setup.workers())
                        .cacheDecodedImages(setup.cacheImages())
                        .build())) {
      SsdModel network = SsdModels.build(d);
      if (classPrior > 0) {
        network.heads().setClassPrior(classPrior);
      }
      model.setBlock(network);
      LossTerm l2 =
          d.l2WeightDecay() > 0
              ? L2Regularization.convKernels(model.getBlock(), d.l2WeightDecay())
              : LossTerm.NONE;
      TrainingModel tm = new TrainingModel(model, l2, d::toJson);
      TrainingHooks.Builder hooks = TrainingHooks.builder().progress(progress);
      if (setup.validation() != null && setup.mapEvery() > 0) {
        hooks.evaluator(mapEvaluator(setup));
      }
      return session.run(tm, train, validation, hooks.build());
    }
  }

  /** VOC07 mAP of the model on (a deterministic prefix of) the validation images. */
  private static EpochEvaluator mapEvaluator(Setup setup) {
    Dataset val = setup.validation();
    if (setup.mapMaxImages() > 0 && val.samples().size() > setup.mapMaxImages()) {
      List<Sample> subset = val.samples().subList(0, setup.mapMaxImages());
      val = val.withSamples(subset);
    }
    Dataset images = val;
    return (epoch, model) -> {
      if (epoch % setup.mapEvery() != 0) {
        return OptionalDouble.empty();
      }
      try (Detector detector =
          Detector.of(model, setup.description(), DetectorOptions.evaluation())) {
        List<org.grievance.ssd.data.ResultRow> rows =
            DatasetPredictions.predict(detector, images, DatasetPredictions.Progress.NONE).rows();
        return OptionalDouble.of(
            DatasetEvaluation.voc(images, rows, ApMetric.VOC07_11_POINT, 0.5).meanAp());
      }
    };
  }
}
