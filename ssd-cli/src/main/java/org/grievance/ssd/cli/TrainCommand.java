package org.grievance.ssd.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.DatasetFormat;
import org.grievance.ssd.data.DatasetLoader;
import org.grievance.ssd.data.DatasetSpec;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.loss.FocalLossConfig;
import org.grievance.ssd.loss.NegativeMining;
import org.grievance.ssd.loss.SsdLossConfig;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.store.ModelDirectory;
import org.grievance.ssd.train.EarlyStoppingConfig;
import org.grievance.ssd.train.OptimizerConfig;
import org.grievance.ssd.train.PlateauConfig;
import org.grievance.ssd.train.ScheduleConfig;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.train.TrainingResult;
import org.grievance.ssd.training.AnchorChoice;
import org.grievance.ssd.training.DetectorTraining;
import org.grievance.ssd.training.DetectorTraining.Augmentation;
import org.grievance.ssd.training.FineTuning;
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
          + " predict/evaluate/serve), log.csv, loss.png and map.png. --resume RUN_DIR continues"
          + " a stopped run."
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

  @Option(names = "--batch", defaultValue = "16", description = "Batch size (default: 16).")
  int batch;

  @Option(
      names = "--lr",
      paramLabel = "LR",
      description =
          "Peak learning rate (default: 3e-3 for SSD7 trained from scratch, 1e-3 otherwise:"
              + " the VGG and MobileNet models and any --init fine-tuning).")
  Double lr;

  /**
   * Adam's peak rate for SSD7 from scratch. On the hard synthetic set (3,000 images at 480x300, 42
   * % of the objects under 32x32 px) 15 minutes of training reached test mAP 0.516 with it against
   * 0.265 with 1e-3 (docs/quality-of-defaults.md): batch norm keeps the larger steps stable, and a
   * time-bounded run cannot afford the slow start.
   */
  static final double SSD7_LR = 3e-3;

  /** Adam's usual rate, kept for the pretrained and deeper models, where 3e-3 is riskier. */
  static final double DEFAULT_LR = 1e-3;

  /** {@code --lr}, or the default for the model being trained. */
  double peakLearningRate() {
    if (lr != null) {
      return lr;
    }
    boolean ssd7FromScratch = init == null && architecture(model).name().equals(SsdModels.SSD7);
    return ssd7FromScratch ? SSD7_LR : DEFAULT_LR;
  }

  @Option(
      names = "--optimizer",
      defaultValue = "adam",
      paramLabel = "adam|sgd",
      description = "Optimizer (default: adam; sgd uses momentum 0.9).")
  String optimizer;

  @Option(
      names = "--schedule",
      defaultValue = "cosine",
      paramLabel = "cosine|step|constant|plateau",
      description =
          "Learning-rate schedule (default: cosine to 1%% of --lr; step: ×0.1 at --milestones;"
              + " plateau: constant, ×0.2 when validation loss stalls for 8 epochs).")
  String schedule;

  @Option(
      names = "--milestones",
      split = ",",
      paramLabel = "STEP,STEP",
      description = "Steps at which the step schedule multiplies the rate by 0.1.")
  List<Long> milestones;

  @Option(
      names = "--warmup",
      defaultValue = "200",
      description = "Linear warm-up steps (default: 200).")
  long warmup;

  @Option(
      names = "--weight-decay",
      defaultValue = "5e-4",
      description = "L2 factor on convolution kernels, as the reference (default: 5e-4).")
  double weightDecay;

  @Option(
      names = "--image-size",
      paramLabel = "HxW",
      converter = ImageSize.Converter.class,
      description =
          "Model input size. Default: the training images' most common size, scaled down so"
              + " that the longer side is at most 480, rounded to multiples of 16.")
  ImageSize imageSize;

  @Option(
      names = "--anchors",
      defaultValue = "reference",
      paramLabel = "reference|auto",
      description =
          "The reference SSD7 notebook's anchors (scales 0.08..0.96, ratios 0.5, 1, 2; default),"
              + " or scales and aspect ratios fitted to the training boxes' sizes (auto,"
              + " experimental).")
  String anchors;

  @Option(
      names = "--variances",
      split = ",",
      paramLabel = "V",
      description =
          "The 4 box-offset variances (cx, cy, w, h) the encoder divides by (default for ssd7:"
              + " the SSD paper's 0.1,0.1,0.2,0.2, not the SSD7 notebook's 1,1,1,1, which"
              + " localises far worse in a short run; other models: their own).")
  double[] variances;

  /**
   * What {@code ssd train} gives SSD7 unless {@code --variances} says otherwise. On the quickstart
   * data, 1,500 steps reached validation mAP 0.63 with these against 0.35 with the notebook's
   * 1,1,1,1: larger regression targets give the box loss its weight next to the class loss.
   */
  static final double[] SSD7_VARIANCES = {0.1, 0.1, 0.2, 0.2};

  @Option(
      names = "--augment",
      defaultValue = "light",
      paramLabel = "light|constant|ssd|none",
      description =
          "Augmentation: the reference SSD7 chain at half its probabilities (light, default),"
              + " the reference chain (constant), the original SSD chain (ssd), or none.")
  String augment;

  @Option(
      names = "--mining",
      defaultValue = "batch",
      paramLabel = "batch|image",
      description = "Hard negative mining across the batch (reference, default) or per image.")
  String mining;

  @Option(
      names = "--loss",
      defaultValue = "standard",
      paramLabel = "standard|focal",
      description =
          "Classification term: softmax cross-entropy on positives and hard negatives (standard,"
              + " the reference) or Lin et al.'s focal loss on every non-neutral anchor, no"
              + " mining (focal).")
  String loss;

  @Option(
      names = "--focal-alpha",
      defaultValue = "0.25",
      description =
          "Focal loss weight of object anchors; background gets 1 - alpha; -1 = no balancing"
              + " (default: 0.25).")
  double focalAlpha;

  @Option(
      names = "--focal-gamma",
      defaultValue = "2",
      description = "Focal loss focusing parameter gamma, 0 = cross-entropy (default: 2).")
  double focalGamma;

  @Option(
      names = "--focal-prior",
      defaultValue = "0.01",
      description =
          "With --loss focal, the class heads start with this probability for all object"
              + " classes together; 0 = zero biases (default: 0.01).")
  double focalPrior;

  @Option(
      names = "--map-every",
      defaultValue = "5",
      description = "Validation VOC07 mAP every N epochs, 0 = never (default: 5).")
  int mapEvery;

  @Option(
      names = "--map-images",
      defaultValue = "300",
      description = "Validation images used for the mAP (default: 300; 0 = all).")
  int mapImages;

  @Option(
      names = "--early-stopping",
      defaultValue = "10",
      description = "Stop after N epochs without validation-loss improvement, 0 = off (10).")
  int patience;

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

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: 42).")
  long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter pw = spec.commandLine().getOut();
    int cores = Runtime.getRuntime().availableProcessors();
    if (resume) {
      return resume(pw, cores);
    }
    SsdModels.Architecture architecture = architecture(model);
    TrainConfig config = trainConfig(cores); // option errors before the data is read
    Dataset train = loadTrain();
    Dataset validation = loadValidation(train);
    ImageSize size;
    ModelDescription description;
    String arch = architecture.name();
    if (init != null) {
      ModelDescription from = ModelDirectory.open(init).description();
      size = new ImageSize(from.inputHeight(), from.inputWidth());
      description =
          from.toBuilder()
              .l2WeightDecay(weightDecay)
              .build()
              .withProvenance("training", provenance(train, validation, size));
      pw.println("starting from " + init + " (" + from.architecture() + ")");
    } else if (arch.equals(SsdModels.SSD300) || arch.equals(SsdModels.SSD512)) {
      if (imageSize != null) {
        throw new IllegalArgumentException(
            "--image-size applies to ssd7; " + arch + " has the reference's fixed input size");
      }
      AnchorConfig a =
          arch.equals(SsdModels.SSD300) ? AnchorConfig.ssd300Voc() : AnchorConfig.ssd512Voc();
      size = new ImageSize(a.imageHeight(), a.imageWidth());
      ModelDescription base =
          arch.equals(SsdModels.SSD300)
              ? ModelDescription.ssd300(train.classNames(), a)
              : ModelDescription.ssd512(train.classNames(), a);
      description =
          base.toBuilder()
              .l2WeightDecay(weightDecay)
              .build()
              .withProvenance("training", provenance(train, validation, size));
      pw.println(arch + " with the reference's Pascal VOC anchors, fresh weights");
    } else {
      size = imageSize != null ? imageSize : defaultInputSize(train);
      description = describe(pw, architecture, train, validation, size);
    }
    pw.printf(
        Locale.ROOT,
        "training %s %s on %d images (%d objects, %d classes), validating on %s; run dir %s%n",
        description.architecture(),
        size,
        train.samples().size(),
        train.objectCount(),
        train.classNames().size(),
        validation == null ? "nothing" : validation.samples().size() + " images",
        out);
    pw.flush();
    TrainingResult result =
        DetectorTraining.train(
            setup(description, train, validation, cores),
            config,
            out,
            ProgressBarListener.forConsole(),
            new FineTuning(init, freeze, lrMultipliers));
    report(pw, result);
    return 0;
  }

  private ModelDescription describe(
      PrintWriter pw,
      SsdModels.Architecture architecture,
      Dataset train,
      Dataset validation,
      ImageSize size) {
    boolean ssd7 = architecture.name().equals(SsdModels.SSD7);
    ModelDescription.Builder builder =
        architecture.defaultDescription(size.height(), size.width(), train.classNames()).toBuilder()
            .l2WeightDecay(weightDecay);
    String anchorChoice = anchors.trim().toLowerCase(Locale.ROOT);
    if (!ssd7 && anchorChoice.equals("auto")) {
      throw new IllegalArgumentException(
          "--anchors auto is only available for ssd7; "
              + architecture.name()
              + " uses its default anchors (--anchors reference)");
    }
    switch (ssd7 ? anchorChoice : "default") {
      case "default" -> pw.println(architecture.name() + " default anchors");
      case "auto" -> {
        AnchorChoice.Choice choice = AnchorChoice.ssd7(train, size.height(), size.width());
        builder
            .anchors(choice.anchors())
            .boxesPerCell(
                Collections.nCopies(choice.anchors().layerCount(), choice.boxesPerCell()));
        pw.println(choice.summary());
      }
      case "reference" ->
          pw.println("reference SSD7 anchors (scales 0.08..0.96, ratios 0.5, 1, 2)");
      default ->
          throw new IllegalArgumentException(
              "--anchors must be auto or reference, not '" + anchors + "'");
    }
    double[] v = variances != null ? variances : ssd7 ? SSD7_VARIANCES.clone() : null;
    if (v != null) {
      builder.anchors(builder.build().anchors().toBuilder().variances(v).build());
    }
    return builder.build().withProvenance("training", provenance(train, validation, size));
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

  private int resume(PrintWriter pw, int cores) throws Exception {
    ModelDescription description =
        ModelDescription.read(
            org.grievance.ssd.store.CheckpointFiles.locate(
                    out, org.grievance.ssd.store.CheckpointFiles.LAST)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            out + " holds no complete checkpoint to resume from"))
                .resolve(org.grievance.ssd.store.CheckpointFiles.DESCRIPTION_FILE));
    Dataset train = loadTrain();
    Dataset validation = loadValidation(train);
    pw.println("resuming " + out);
    pw.flush();
    TrainingResult result =
        DetectorTraining.resume(
            setup(description, train, validation, cores),
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
    return 0;
  }

  private DetectorTraining.Setup setup(
      ModelDescription description, Dataset train, Dataset validation, int cores) {
    return new DetectorTraining.Setup(
        description,
        train,
        validation,
        batch,
        Augmentation.parse(augment),
        workers == null ? cores : workers,
        cache,
        mapEvery,
        mapImages);
  }

  TrainConfig trainConfig(int cores) {
    double budget = minutes != null ? minutes : (epochs == null ? 30 : 0);
    OptimizerConfig opt =
        switch (optimizer.trim().toLowerCase(Locale.ROOT)) {
          case "adam" -> OptimizerConfig.adam();
          case "sgd" -> OptimizerConfig.sgd();
          default ->
              throw new IllegalArgumentException(
                  "--optimizer must be adam or sgd, not '" + optimizer + "'");
        };
    PlateauConfig plateau = null;
    double peak = peakLearningRate();
    ScheduleConfig sched =
        switch (schedule.trim().toLowerCase(Locale.ROOT)) {
          case "cosine" -> ScheduleConfig.cosine(peak, peak * 0.01);
          case "step" -> {
            if (milestones == null || milestones.isEmpty()) {
              throw new IllegalArgumentException("--schedule step needs --milestones");
            }
            yield ScheduleConfig.multiStep(peak, milestones);
          }
          case "constant" -> ScheduleConfig.constant(peak);
          case "plateau" -> {
            plateau = PlateauConfig.reference();
            yield ScheduleConfig.constant(peak);
          }
          default ->
              throw new IllegalArgumentException(
                  "--schedule must be cosine, step, constant or plateau, not '" + schedule + "'");
        };
    NegativeMining negatives =
        switch (mining.trim().toLowerCase(Locale.ROOT)) {
          case "batch" -> NegativeMining.BATCH;
          case "image" -> NegativeMining.PER_IMAGE;
          default ->
              throw new IllegalArgumentException(
                  "--mining must be batch or image, not '" + mining + "'");
        };
    return TrainConfig.builder()
        .epochs(epochs == null ? 0 : epochs)
        .minutes(budget)
        .optimizer(opt)
        .schedule(sched.withWarmup(warmup))
        .plateau(plateau)
        .earlyStopping(patience > 0 ? new EarlyStoppingConfig(patience, 0) : null)
        .loss(SsdLossConfig.defaults().toBuilder().mining(negatives).focal(focal()).build())
        .seed(seed)
        .numThreads(threads == null ? cores : threads)
        .build();
  }

  /** The focal term of {@code --loss focal}, {@code null} for the standard loss. */
  private FocalLossConfig focal() {
    return switch (loss.trim().toLowerCase(Locale.ROOT)) {
      case "standard" -> null;
      case "focal" -> new FocalLossConfig(focalAlpha, focalGamma, focalPrior);
      default ->
          throw new IllegalArgumentException(
              "--loss must be standard or focal, not '" + loss + "'");
    };
  }

  private Dataset loadTrain() {
    if (dataset.split == null && hasSplit(dataset.data, "train")) {
      dataset.split = "train";
    }
    return dataset.load();
  }

  private Dataset loadValidation(Dataset train) {
    Path source = val;
    String split = valSplit;
    if (source == null) {
      if (!hasSplit(dataset.data, "val")) {
        return null;
      }
      source = dataset.data;
      split = "val";
    }
    DatasetFormat f = dataset.format == null ? null : DatasetFormat.parse(dataset.format.trim());
    return DatasetLoader.load(
        DatasetSpec.builder(source)
            .split(split)
            .format(val == null ? f : null)
            .classes(train.classNames())
            .build());
  }

  private static boolean hasSplit(Path data, String split) {
    return Files.isRegularFile(data.resolve("ImageSets").resolve("Main").resolve(split + ".txt"));
  }

  /**
   * The most common image size of the training set, scaled so the longer side is at most 480 and
   * rounded to multiples of 16 (the SSD7 feature maps then tile the input evenly).
   */
  static ImageSize defaultInputSize(Dataset train) {
    Map<List<Integer>, Integer> counts = new HashMap<>();
    for (Sample s : train.samples()) {
      if (s.width() > 0 && s.height() > 0) {
        counts.merge(List.of(s.height(), s.width()), 1, Integer::sum);
      }
    }
    if (counts.isEmpty()) {
      return new ImageSize(300, 480);
    }
    List<Integer> hw =
        counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    double scale = Math.min(1.0, 480.0 / Math.max(hw.get(0), hw.get(1)));
    int h = Math.max(64, (int) Math.round(hw.get(0) * scale / 16) * 16);
    int w = Math.max(64, (int) Math.round(hw.get(1) * scale / 16) * 16);
    return new ImageSize(h, w);
  }

  private ObjectNode provenance(Dataset train, Dataset validation, ImageSize size) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("data", dataset.data.toAbsolutePath().toString());
    n.put("split", dataset.split);
    n.put("trainImages", train.samples().size());
    n.put("validationImages", validation == null ? 0 : validation.samples().size());
    n.put("inputSize", size.toString());
    n.put("batch", batch);
    n.put("augment", augment);
    n.put("loss", loss.trim().toLowerCase(Locale.ROOT));
    n.put(
        "command",
        "ssd train "
            + String.join(
                " ",
                Arrays.asList(
                    spec.commandLine().getParseResult().originalArgs().toArray(new String[0]))));
    return n;
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
