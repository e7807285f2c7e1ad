package org.grievance.ssd.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.store.ModelDirectory;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.training.DetectorTraining.Setup;

/**
 * A new run worked out from a {@link TrainingRecipe} and the data before anything is trained: the
 * model it builds, the training loop's configuration, the loaders' set-up and the fine-tuning.
 * {@code ssd train} prints it and hands it to {@link DetectorTraining#train(TrainingPlan, Path,
 * org.grievance.ssd.train.ProgressListener)}, as a Java caller does.
 *
 * @param setup the model description (with the run's facts as {@code training} provenance) and how
 *     the loaders feed it
 * @param config the training loop's configuration
 * @param fineTuning the weights the run starts from, frozen layers and rate multipliers
 * @param origin one line on where the model's anchors or weights come from, for the log
 */
public record TrainingPlan(Setup setup, TrainConfig config, FineTuning fineTuning, String origin) {
  /** The provenance entry of the description that holds the run's facts. */
  public static final String PROVENANCE_KEY = "training";

  /** Validates. */
  public TrainingPlan {
    Objects.requireNonNull(setup, "setup");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(fineTuning, "fineTuning (use FineTuning.none())");
    Objects.requireNonNull(origin, "origin");
  }

  /** A run of {@code recipe} on {@code data} from fresh weights, using the whole machine. */
  public static TrainingPlan of(TrainingRecipe recipe, TrainingData data) throws IOException {
    return of(recipe, data, FineTuning.none(), MachineResources.ofThisMachine());
  }

  /**
   * A run of {@code recipe} on {@code data}. From fresh weights the model is the recipe's
   * architecture at the recipe's input size, with its variances and anchors; starting from {@link
   * FineTuning#init()} it is that model directory's description (architecture, size, classes and
   * anchors), and the peak rate is the recipe's {@link TrainingRecipe#fineTuningLearningRate()}.
   * Either way the recipe sets the L2 decay.
   *
   * @throws IOException if {@code fineTuning}'s model directory cannot be read
   * @throws IllegalArgumentException if the recipe's input size does not suit its architecture
   */
  public static TrainingPlan of(
      TrainingRecipe recipe, TrainingData data, FineTuning fineTuning, MachineResources machine)
      throws IOException {
    Path init = fineTuning.init();
    TrainConfig config = recipe.trainConfig(init != null, machine.modelThreads());
    ModelDescription description;
    String origin;
    if (init != null) {
      ModelDescription from = ModelDirectory.open(init).description();
      description = from.toBuilder().l2WeightDecay(recipe.l2WeightDecay()).build();
      origin = "starting from " + init + " (" + from.architecture() + ")";
    } else {
      Fresh fresh = fresh(recipe, data.train(), machine);
      description = fresh.description();
      origin = fresh.origin();
    }
    description = description.withProvenance(PROVENANCE_KEY, provenance(recipe, data, description));
    return new TrainingPlan(setup(recipe, description, data, machine), config, fineTuning, origin);
  }

  /**
   * How the loaders feed {@code description} in a run of {@code recipe}: its batch size,
   * augmentation and validation mAP settings. Also what a resumed run, whose description is the
   * saved one, is fed with.
   */
  public static Setup setup(
      TrainingRecipe recipe,
      ModelDescription description,
      TrainingData data,
      MachineResources machine) {
    return new Setup(
        description,
        data.train(),
        data.validation(),
        recipe.batchSize(),
        recipe.augmentation(),
        machine.loaderThreads(),
        machine.cacheImages(),
        recipe.mapEvery(),
        recipe.mapImages());
  }

  /** The model the run trains. */
  public ModelDescription description() {
    return setup.description();
  }

  /** This plan with one more fact (such as the command line) in the description's provenance. */
  public TrainingPlan withProvenanceFact(String name, String value) {
    JsonNode facts = description().provenance().get(PROVENANCE_KEY);
    ObjectNode more =
        facts instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
    more.put(name, value);
    ModelDescription d = description().withProvenance(PROVENANCE_KEY, more);
    Setup s =
        new Setup(
            d,
            setup.train(),
            setup.validation(),
            setup.batchSize(),
            setup.augmentation(),
            setup.workers(),
            setup.cacheImages(),
            setup.mapEvery(),
            setup.mapMaxImages());
    return new TrainingPlan(s, config, fineTuning, origin);
  }

  private record Fresh(ModelDescription description, String origin) {}

  /**
   * The recipe's architecture for {@code train}'s classes with fresh weights, at the input size its
   * rule chooses ({@link InputSizeRule.WithinBudget} fits it to a time budget).
   */
  private static Fresh fresh(TrainingRecipe recipe, Dataset train, MachineResources machine)
      throws IOException {
    String arch = recipe.architecture();
    InputSize size = recipe.inputSize().choose(train);
    String sizeNote = "";
    if (recipe.inputSize() instanceof InputSizeRule.WithinBudget rule
        && recipe.epochs() == 0
        && recipe.minutes() > 0
        && train.samples().size() >= recipe.batchSize()) { // else the loader refuses the run
      ModelDescription full =
          SsdModels.architecture(arch)
              .defaultDescription(size.height(), size.width(), train.classNames());
      double rate = StepRateProbe.imagesPerSecond(full, train, recipe, machine);
      double epochs = recipe.minutes() * 60 * rate / Math.max(1, train.samples().size());
      InputSize fitted = rule.fit(size, epochs);
      sizeNote =
          String.format(
              Locale.ROOT,
              "; input %s: %s trains at %.1f img/s here, %.1f epochs in %s min%s",
              fitted,
              size,
              rate,
              epochs,
              new DecimalFormat("0.##").format(recipe.minutes()),
              fitted.equals(size)
                  ? ""
                  : " (fewer than " + rule.targetEpochs() + "), so the input is scaled down");
      size = fitted;
    }
    ModelDescription base =
        SsdModels.architecture(arch)
            .defaultDescription(size.height(), size.width(), train.classNames());
    if (base.inputHeight() != size.height() || base.inputWidth() != size.width()) {
      throw new IllegalArgumentException(
          "--image-size does not apply to "
              + arch
              + ": it has the reference's fixed input size "
              + base.inputHeight()
              + "x"
              + base.inputWidth()
              + ", not "
              + size);
    }
    ModelDescription.Builder builder = base.toBuilder().l2WeightDecay(recipe.l2WeightDecay());
    String origin;
    if (recipe.anchors() == TrainingRecipe.Anchors.AUTO) {
      AnchorChoice.Choice choice = AnchorChoice.ssd7(train, size.height(), size.width());
      builder
          .anchors(choice.anchors())
          .boxesPerCell(Collections.nCopies(choice.anchors().layerCount(), choice.boxesPerCell()));
      origin = choice.summary();
    } else if (arch.equals(SsdModels.SSD7)) {
      origin = "reference SSD7 anchors (scales 0.08..0.96, ratios 0.5, 1, 2)";
    } else if (arch.equals(SsdModels.SSD300) || arch.equals(SsdModels.SSD512)) {
      origin = arch + " with the reference's Pascal VOC anchors, fresh weights";
    } else {
      origin = arch + " default anchors";
    }
    if (recipe.variances() != null) {
      double[] v = recipe.variances().stream().mapToDouble(Double::doubleValue).toArray();
      builder.anchors(builder.build().anchors().toBuilder().variances(v).build());
    }
    return new Fresh(builder.build(), origin + sizeNote);
  }

  /** The run's facts recorded in the model: its data, input size, batch, augmentation, loss. */
  private static ObjectNode provenance(
      TrainingRecipe recipe, TrainingData data, ModelDescription description) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    if (data.source() != null) {
      n.put("data", data.source().path().toAbsolutePath().toString());
      n.put("split", data.source().split());
    }
    n.put("trainImages", data.train().samples().size());
    n.put("validationImages", data.validation() == null ? 0 : data.validation().samples().size());
    n.put(
        "inputSize", new InputSize(description.inputHeight(), description.inputWidth()).toString());
    n.put("batch", recipe.batchSize());
    n.put("augment", recipe.augmentation().name().toLowerCase(Locale.ROOT));
    n.put("loss", recipe.loss().usesFocalLoss() ? "focal" : "standard");
    return n;
  }
}
