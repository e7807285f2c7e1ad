package org.grievance.ssd.training;

import java.util.List;
import java.util.Objects;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.loss.SsdLossConfig;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.train.EarlyStoppingConfig;
import org.grievance.ssd.train.OptimizerConfig;
import org.grievance.ssd.train.PlateauConfig;
import org.grievance.ssd.train.ScheduleConfig;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.training.DetectorTraining.Augmentation;

/**
 * How a detector of one architecture is trained when nothing more is said: every choice of {@code
 * ssd train --model NAME} besides the data and the machine, kept next to the architecture registry
 * so that the command line and a Java caller train the same model from the same data. {@link
 * #forArchitecture} gives a registered architecture's recipe, {@link #toBuilder()} changes any
 * part, and {@link TrainingPlan} turns a recipe and the data into a run's model description,
 * training configuration and loaders.
 *
 * <p>The architectures differ in three places: SSD7 trains with the SSD paper's variances at a
 * higher rate ({@link #SSD7_VARIANCES}, {@link #SSD7_LEARNING_RATE}) and reads its input size off
 * the training images, scaled down when a time budget alone would give it too few epochs ({@link
 * InputSizeRule#fromImagesWithinBudget()}); SSD300 and SSD512 keep the reference's fixed input
 * size; the others read their input size off the training images ({@link
 * InputSizeRule#fromImages()}).
 *
 * @param architecture a name registered in {@link SsdModels}
 * @param inputSize how a new run's input size is chosen
 * @param variances the box-offset variances (cx, cy, w, h) replacing the architecture's own, or
 *     {@code null} to keep those
 * @param anchors the architecture's own anchors or anchors fitted to the training boxes (SSD7 only)
 * @param l2WeightDecay Keras-style {@code λ} of the L2 penalty on convolution kernels, {@code >= 0}
 * @param optimizer Adam or SGD
 * @param learningRate the peak rate of a run from fresh weights
 * @param fineTuningLearningRate the peak rate of a run that starts from trained weights ({@link
 *     FineTuning#init()})
 * @param schedule the rate's course over the run
 * @param milestones steps at which {@link Schedule#STEP} multiplies the rate by 0.1 (ascending)
 * @param warmupSteps steps of linear warm-up at the start of a run, {@code >= 0}
 * @param augmentation the chain applied to training images
 * @param batchSize images per batch, {@code >= 1}
 * @param loss the SSD loss (mining, focal term)
 * @param epochs epoch limit, 0 = none
 * @param minutes time budget in minutes, 0 = none; a cosine schedule is laid out over it
 * @param earlyStoppingPatience stop after this many epochs without improvement, 0 = never
 * @param mapEvery compute the validation VOC07 mAP every this many epochs, 0 = never
 * @param mapImages at most this many validation images for the mAP, 0 = all
 * @param seed seeds weight initialisation and the data order
 */
public record TrainingRecipe(
    String architecture,
    InputSizeRule inputSize,
    List<Double> variances,
    Anchors anchors,
    double l2WeightDecay,
    OptimizerConfig optimizer,
    double learningRate,
    double fineTuningLearningRate,
    Schedule schedule,
    List<Long> milestones,
    long warmupSteps,
    Augmentation augmentation,
    int batchSize,
    SsdLossConfig loss,
    int epochs,
    double minutes,
    int earlyStoppingPatience,
    int mapEvery,
    int mapImages,
    long seed) {

  /**
   * Adam's peak rate for SSD7 from scratch. On the hard synthetic set (3,000 images at 480x300, 42
   * % of the objects under 32x32 px) 15 minutes of training reached test mAP 0.516 with it against
   * 0.265 with 1e-3 (docs/quality-of-defaults.md): batch norm keeps the larger steps stable, and a
   * time-bounded run cannot afford the slow start.
   */
  public static final double SSD7_LEARNING_RATE = 3e-3;

  /**
   * Adam's usual rate, kept for the pretrained and deeper models and for fine-tuning, where 3e-3 is
   * riskier.
   */
  public static final double DEFAULT_LEARNING_RATE = 1e-3;

  /**
   * The variances SSD7 trains with: the SSD paper's, not the SSD7 notebook's 1, 1, 1, 1 that {@code
   * ModelDescription.ssd7} keeps for parity with the reference. On the quickstart data, 1,500 steps
   * reached validation mAP 0.63 with these against 0.35 with the notebook's: larger regression
   * targets give the box loss its weight next to the class loss.
   */
  public static final List<Double> SSD7_VARIANCES = List.of(0.1, 0.1, 0.2, 0.2);

  /** The rate a cosine schedule ends at, as a fraction of its peak. */
  public static final double COSINE_FLOOR = 0.01;

  /** The time budget of a run that sets no limit of its own. */
  public static final double DEFAULT_MINUTES = 30;

  /** The learning rate's course over a run. */
  public enum Schedule {
    /** From the peak down to {@link #COSINE_FLOOR} of it along a cosine over the run. */
    COSINE,
    /** The peak, times 0.1 at each of the recipe's milestones. */
    STEP,
    /** The peak throughout. */
    CONSTANT,
    /**
     * The peak, times 0.2 whenever the monitored loss has not improved for 8 epochs ({@link
     * PlateauConfig#reference()}).
     */
    PLATEAU;

    /** The schedule at {@code peak} (without warm-up). */
    ScheduleConfig config(double peak, List<Long> milestones) {
      return switch (this) {
        case COSINE -> ScheduleConfig.cosine(peak, peak * COSINE_FLOOR);
        case STEP -> ScheduleConfig.multiStep(peak, milestones);
        case CONSTANT, PLATEAU -> ScheduleConfig.constant(peak);
      };
    }

    /** The plateau reduction, {@code null} but for {@link #PLATEAU}. */
    PlateauConfig plateau() {
      return this == PLATEAU ? PlateauConfig.reference() : null;
    }
  }

  /** Where a new run's anchors come from. */
  public enum Anchors {
    /** The architecture's own (for SSD7 the reference notebook's: scales 0.08..0.96). */
    REFERENCE,
    /** Scales and aspect ratios fitted to the training boxes ({@link AnchorChoice}; SSD7 only). */
    AUTO
  }

  /** Validates every field; messages name the field and the value. */
  public TrainingRecipe {
    SsdModels.architecture(architecture); // fails listing the registered ones
    Objects.requireNonNull(inputSize, "inputSize");
    if (variances != null) {
      variances = List.copyOf(variances);
      if (variances.size() != 4
          || variances.stream().anyMatch(v -> !(v > 0) || !Double.isFinite(v))) {
        throw new IllegalArgumentException(
            "variances must be 4 finite values > 0 (cx, cy, w, h), got " + variances);
      }
    }
    Objects.requireNonNull(anchors, "anchors");
    if (anchors == Anchors.AUTO && !architecture.equals(SsdModels.SSD7)) {
      throw new IllegalArgumentException(
          "--anchors auto is only available for ssd7; "
              + architecture
              + " uses its default anchors (--anchors reference)");
    }
    if (!(l2WeightDecay >= 0) || Double.isInfinite(l2WeightDecay)) {
      throw new IllegalArgumentException(
          "l2WeightDecay must be finite and >= 0, got " + l2WeightDecay);
    }
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(schedule, "schedule");
    milestones = List.copyOf(Objects.requireNonNull(milestones, "milestones"));
    if (schedule == Schedule.STEP && milestones.isEmpty()) {
      throw new IllegalArgumentException("the step schedule needs milestones (--milestones)");
    }
    // Rates and milestones are checked where the schedule checks them.
    schedule.config(learningRate, milestones);
    schedule.config(fineTuningLearningRate, milestones);
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
    }
    Objects.requireNonNull(augmentation, "augmentation");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    Objects.requireNonNull(loss, "loss");
    if (epochs < 0 || !(minutes >= 0) || !Double.isFinite(minutes)) {
      throw new IllegalArgumentException(
          "epochs and minutes must be >= 0 (0 = no limit), got " + epochs + ", " + minutes);
    }
    if (epochs == 0 && minutes == 0) {
      throw new IllegalArgumentException(
          "set epochs > 0 or minutes > 0: a run needs an end (got epochs=0, minutes=0)");
    }
    if (earlyStoppingPatience < 0 || mapEvery < 0 || mapImages < 0) {
      throw new IllegalArgumentException(
          "earlyStoppingPatience, mapEvery and mapImages must be >= 0, got "
              + earlyStoppingPatience
              + ", "
              + mapEvery
              + ", "
              + mapImages);
    }
  }

  /**
   * The recipe of the registered architecture {@code name}: SSD7 gets {@link #SSD7_VARIANCES},
   * {@link #SSD7_LEARNING_RATE} and {@link InputSizeRule#fromImagesWithinBudget()}; SSD300 and
   * SSD512 the reference's fixed input size; every architecture Adam, a cosine schedule with 200
   * warm-up steps, L2 decay 5e-4, the light augmentation chain, batches of 16, the reference's
   * loss, 30 minutes, early stopping after 10 epochs without improvement, the validation mAP on 300
   * images every 5 epochs and seed 42.
   *
   * @throws org.grievance.ssd.spec.ModelDescriptionException naming the registered architectures if
   *     {@code name} is not one
   */
  public static TrainingRecipe forArchitecture(String name) {
    String arch = SsdModels.architecture(name).name();
    Builder b = new Builder(arch);
    switch (arch) {
      case SsdModels.SSD7 ->
          b.variances(SSD7_VARIANCES)
              .learningRates(SSD7_LEARNING_RATE, DEFAULT_LEARNING_RATE)
              .inputSize(InputSizeRule.fromImagesWithinBudget());
      case SsdModels.SSD300 -> b.inputSize(referenceSize(AnchorConfig.ssd300Voc()));
      case SsdModels.SSD512 -> b.inputSize(referenceSize(AnchorConfig.ssd512Voc()));
      default -> {
        // every other architecture: the shared defaults
      }
    }
    return b.build();
  }

  private static InputSizeRule referenceSize(AnchorConfig anchors) {
    return InputSizeRule.fixed(anchors.imageHeight(), anchors.imageWidth());
  }

  /**
   * The peak learning rate of a run from fresh weights or, when {@code fineTuning}, from trained
   * ones.
   */
  public double peakLearningRate(boolean fineTuning) {
    return fineTuning ? fineTuningLearningRate : learningRate;
  }

  /**
   * The training loop's configuration for a run of this recipe.
   *
   * @param fineTuning whether the run starts from trained weights (its peak rate is then {@link
   *     #fineTuningLearningRate})
   * @param numThreads PyTorch intra-op threads
   */
  public TrainConfig trainConfig(boolean fineTuning, int numThreads) {
    double peak = peakLearningRate(fineTuning);
    return TrainConfig.builder()
        .epochs(epochs)
        .minutes(minutes)
        .optimizer(optimizer)
        .schedule(schedule.config(peak, milestones).withWarmup(warmupSteps))
        .plateau(schedule.plateau())
        .earlyStopping(
            earlyStoppingPatience > 0 ? new EarlyStoppingConfig(earlyStoppingPatience, 0) : null)
        .loss(loss)
        .seed(seed)
        .numThreads(numThreads)
        .build();
  }

  /** A builder holding this recipe. */
  public Builder toBuilder() {
    Builder b = new Builder(architecture);
    b.inputSize = inputSize;
    b.variances = variances;
    b.anchors = anchors;
    b.l2WeightDecay = l2WeightDecay;
    b.optimizer = optimizer;
    b.learningRate = learningRate;
    b.fineTuningLearningRate = fineTuningLearningRate;
    b.schedule = schedule;
    b.milestones = milestones;
    b.warmupSteps = warmupSteps;
    b.augmentation = augmentation;
    b.batchSize = batchSize;
    b.loss = loss;
    b.epochs = epochs;
    b.minutes = minutes;
    b.earlyStoppingPatience = earlyStoppingPatience;
    b.mapEvery = mapEvery;
    b.mapImages = mapImages;
    b.seed = seed;
    return b;
  }

  /**
   * Mutable builder starting from the defaults every architecture shares (see {@link
   * #forArchitecture}); {@link #build()} validates.
   */
  public static final class Builder {
    private final String architecture;
    private InputSizeRule inputSize = InputSizeRule.fromImages();
    private List<Double> variances;
    private Anchors anchors = Anchors.REFERENCE;
    private double l2WeightDecay = ModelDescription.SSD7_L2_WEIGHT_DECAY; // every architecture's
    private OptimizerConfig optimizer = OptimizerConfig.adam();
    private double learningRate = DEFAULT_LEARNING_RATE;
    private double fineTuningLearningRate = DEFAULT_LEARNING_RATE;
    private Schedule schedule = Schedule.COSINE;
    private List<Long> milestones = List.of();
    private long warmupSteps = 200;
    private Augmentation augmentation = Augmentation.LIGHT;
    private int batchSize = 16;
    private SsdLossConfig loss = SsdLossConfig.defaults();
    private int epochs = 0;
    private double minutes = DEFAULT_MINUTES;
    private int earlyStoppingPatience = 10;
    private int mapEvery = 5;
    private int mapImages = 300;
    private long seed = 42;

    private Builder(String architecture) {
      this.architecture = architecture;
    }

    /** See {@link TrainingRecipe#inputSize()}. */
    public Builder inputSize(InputSizeRule value) {
      this.inputSize = value;
      return this;
    }

    /** A fixed input size. */
    public Builder inputSize(int height, int width) {
      return inputSize(InputSizeRule.fixed(height, width));
    }

    /** See {@link TrainingRecipe#variances()}; {@code null} keeps the architecture's. */
    public Builder variances(List<Double> value) {
      this.variances = value;
      return this;
    }

    /** See {@link TrainingRecipe#anchors()}. */
    public Builder anchors(Anchors value) {
      this.anchors = value;
      return this;
    }

    /** See {@link TrainingRecipe#l2WeightDecay()}. */
    public Builder l2WeightDecay(double value) {
      this.l2WeightDecay = value;
      return this;
    }

    /** See {@link TrainingRecipe#optimizer()}. */
    public Builder optimizer(OptimizerConfig value) {
      this.optimizer = value;
      return this;
    }

    /** One peak rate for every run, from fresh or from trained weights. */
    public Builder learningRate(double value) {
      return learningRates(value, value);
    }

    /** The peak rates from fresh weights and from trained ones. */
    public Builder learningRates(double fromScratch, double fineTuning) {
      this.learningRate = fromScratch;
      this.fineTuningLearningRate = fineTuning;
      return this;
    }

    /** See {@link TrainingRecipe#schedule()}. */
    public Builder schedule(Schedule value) {
      this.schedule = value;
      return this;
    }

    /** See {@link TrainingRecipe#milestones()}; {@code null} for none. */
    public Builder milestones(List<Long> value) {
      this.milestones = value == null ? List.of() : value;
      return this;
    }

    /** See {@link TrainingRecipe#warmupSteps()}. */
    public Builder warmupSteps(long value) {
      this.warmupSteps = value;
      return this;
    }

    /** See {@link TrainingRecipe#augmentation()}. */
    public Builder augmentation(Augmentation value) {
      this.augmentation = value;
      return this;
    }

    /** See {@link TrainingRecipe#batchSize()}. */
    public Builder batchSize(int value) {
      this.batchSize = value;
      return this;
    }

    /** See {@link TrainingRecipe#loss()}. */
    public Builder loss(SsdLossConfig value) {
      this.loss = value;
      return this;
    }

    /** See {@link TrainingRecipe#epochs()}. */
    public Builder epochs(int value) {
      this.epochs = value;
      return this;
    }

    /** See {@link TrainingRecipe#minutes()}. */
    public Builder minutes(double value) {
      this.minutes = value;
      return this;
    }

    /**
     * The run's end as a caller states it, either part {@code null} when not stated: an epoch limit
     * alone drops the time budget; minutes alone keep the epoch limit; neither keeps both.
     */
    public Builder limits(Integer epochs, Double minutes) {
      if (epochs != null) {
        this.epochs = epochs;
        this.minutes = 0;
      }
      if (minutes != null) {
        this.minutes = minutes;
      }
      return this;
    }

    /** See {@link TrainingRecipe#earlyStoppingPatience()}. */
    public Builder earlyStoppingPatience(int value) {
      this.earlyStoppingPatience = value;
      return this;
    }

    /** See {@link TrainingRecipe#mapEvery()}. */
    public Builder mapEvery(int value) {
      this.mapEvery = value;
      return this;
    }

    /** See {@link TrainingRecipe#mapImages()}. */
    public Builder mapImages(int value) {
      this.mapImages = value;
      return this;
    }

    /** See {@link TrainingRecipe#seed()}. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** The validated recipe. */
    public TrainingRecipe build() {
      return new TrainingRecipe(
          architecture,
          inputSize,
          variances,
          anchors,
          l2WeightDecay,
          optimizer,
          learningRate,
          fineTuningLearningRate,
          schedule,
          milestones,
          warmupSteps,
          augmentation,
          batchSize,
          loss,
          epochs,
          minutes,
          earlyStoppingPatience,
          mapEvery,
          mapImages,
          seed);
    }
  }
}
