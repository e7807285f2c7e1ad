package org.grievance.ssd.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.DatasetSpec;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.loss.SsdLossConfig;
import org.grievance.ssd.spec.MobileNetV2SsdLite;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.ModelDescriptionException;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.synth.SynthConfig;
import org.grievance.ssd.synth.SyntheticDatasetGenerator;
import org.grievance.ssd.train.EarlyStoppingConfig;
import org.grievance.ssd.train.OptimizerConfig;
import org.grievance.ssd.train.PlateauConfig;
import org.grievance.ssd.train.ProgressListener;
import org.grievance.ssd.train.ScheduleConfig;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.train.TrainingResult;
import org.grievance.ssd.training.DetectorTraining.Augmentation;
import org.grievance.ssd.training.TrainingRecipe.Anchors;
import org.grievance.ssd.training.TrainingRecipe.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRecipeTest {
  @TempDir Path tmp;

  @Test
  void ssd7TrainsWithThePaperVariancesAtAHigherRateFromScratch() {
    TrainingRecipe r = TrainingRecipe.forArchitecture(SsdModels.SSD7);
    assertThat(TrainingRecipe.SSD7_LEARNING_RATE).isEqualTo(3e-3);
    assertThat(TrainingRecipe.DEFAULT_LEARNING_RATE).isEqualTo(1e-3);
    assertThat(r.architecture()).isEqualTo("ssd7");
    assertThat(r.variances()).containsExactly(0.1, 0.1, 0.2, 0.2);
    assertThat(r.peakLearningRate(false)).isEqualTo(3e-3);
    assertThat(r.peakLearningRate(true)).isEqualTo(1e-3);
    assertThat(r.inputSize()).isEqualTo(InputSizeRule.fromImagesWithinBudget());
    assertThat(r.anchors()).isEqualTo(Anchors.REFERENCE);
  }

  @Test
  void everyArchitectureSharesTheRunDefaults() {
    for (String name : SsdModels.names()) {
      TrainingRecipe r = TrainingRecipe.forArchitecture(name);
      assertThat(r.optimizer()).isEqualTo(OptimizerConfig.adam());
      assertThat(r.schedule()).isEqualTo(Schedule.COSINE);
      assertThat(r.warmupSteps()).isEqualTo(200);
      assertThat(r.l2WeightDecay()).isEqualTo(5e-4);
      assertThat(r.augmentation()).isEqualTo(Augmentation.LIGHT);
      assertThat(r.batchSize()).isEqualTo(16);
      assertThat(r.loss()).isEqualTo(SsdLossConfig.defaults());
      assertThat(r.epochs()).isZero();
      assertThat(r.minutes()).isEqualTo(30);
      assertThat(r.earlyStoppingPatience()).isEqualTo(10);
      assertThat(r.mapEvery()).isEqualTo(5);
      assertThat(r.mapImages()).isEqualTo(300);
      assertThat(r.seed()).isEqualTo(42);
      assertThat(r.peakLearningRate(true)).isEqualTo(1e-3);
    }
  }

  @Test
  void theVggModelsKeepTheReferenceInputSizeAndTheOthersReadItOffTheImages() {
    TrainingRecipe ssd300 = TrainingRecipe.forArchitecture(SsdModels.SSD300);
    assertThat(ssd300.inputSize()).isEqualTo(InputSizeRule.fixed(300, 300));
    assertThat(ssd300.variances()).isNull();
    assertThat(ssd300.peakLearningRate(false)).isEqualTo(1e-3);
    assertThat(TrainingRecipe.forArchitecture(SsdModels.SSD512).inputSize())
        .isEqualTo(InputSizeRule.fixed(512, 512));
    TrainingRecipe mobile = TrainingRecipe.forArchitecture(MobileNetV2SsdLite.NAME);
    assertThat(mobile.inputSize()).isEqualTo(InputSizeRule.fromImages());
    assertThat(mobile.variances()).isNull();
    assertThat(mobile.peakLearningRate(false)).isEqualTo(1e-3);
    assertThatThrownBy(() -> TrainingRecipe.forArchitecture("resnet-9000"))
        .isInstanceOf(ModelDescriptionException.class)
        .hasMessageContaining("ssd7");
  }

  @Test
  void theTrainConfigFollowsTheRecipe() {
    TrainingRecipe r = TrainingRecipe.forArchitecture(SsdModels.SSD7);
    TrainConfig c = r.trainConfig(false, 3);
    assertThat(c.schedule()).isEqualTo(ScheduleConfig.cosine(3e-3, 3e-5).withWarmup(200));
    assertThat(c.plateau()).isNull();
    assertThat(c.earlyStopping()).isEqualTo(new EarlyStoppingConfig(10, 0));
    assertThat(c.epochs()).isZero();
    assertThat(c.minutes()).isEqualTo(30);
    assertThat(c.seed()).isEqualTo(42);
    assertThat(c.numThreads()).isEqualTo(3);
    assertThat(c.optimizer()).isEqualTo(OptimizerConfig.adam());
    assertThat(r.trainConfig(true, 1).schedule().lr()).isEqualTo(1e-3);

    TrainingRecipe plateau =
        r.toBuilder()
            .schedule(Schedule.PLATEAU)
            .learningRate(5e-4)
            .earlyStoppingPatience(0)
            .build();
    TrainConfig p = plateau.trainConfig(true, 1);
    assertThat(p.schedule()).isEqualTo(ScheduleConfig.constant(5e-4).withWarmup(200));
    assertThat(p.plateau()).isEqualTo(PlateauConfig.reference());
    assertThat(p.earlyStopping()).isNull();
    assertThat(
            r.toBuilder()
                .schedule(Schedule.STEP)
                .milestones(List.of(10L, 20L))
                .build()
                .trainConfig(false, 1)
                .schedule())
        .isEqualTo(ScheduleConfig.multiStep(3e-3, List.of(10L, 20L)).withWarmup(200));
  }

  @Test
  void anEpochLimitAloneDropsTheTimeBudget() {
    TrainingRecipe r = TrainingRecipe.forArchitecture(SsdModels.SSD7);
    TrainingRecipe epochs = r.toBuilder().limits(5, null).build();
    assertThat(epochs.epochs()).isEqualTo(5);
    assertThat(epochs.minutes()).isZero();
    TrainingRecipe minutes = r.toBuilder().limits(null, 2.5).build();
    assertThat(minutes.epochs()).isZero();
    assertThat(minutes.minutes()).isEqualTo(2.5);
    TrainingRecipe both = r.toBuilder().limits(5, 2.5).build();
    assertThat(both.epochs()).isEqualTo(5);
    assertThat(both.minutes()).isEqualTo(2.5);
    assertThat(r.toBuilder().limits(null, null).build()).isEqualTo(r);
  }

  @Test
  void badRecipesFailWithPreciseMessages() {
    TrainingRecipe.Builder ssd7 = TrainingRecipe.forArchitecture(SsdModels.SSD7).toBuilder();
    assertThatThrownBy(() -> ssd7.schedule(Schedule.STEP).build())
        .hasMessageContaining("the step schedule needs milestones");
    assertThatThrownBy(
            () ->
                TrainingRecipe.forArchitecture(SsdModels.SSD300).toBuilder()
                    .anchors(Anchors.AUTO)
                    .build())
        .hasMessageContaining("--anchors auto is only available for ssd7; ssd300");
    assertThatThrownBy(
            () ->
                TrainingRecipe.forArchitecture(SsdModels.SSD7).toBuilder()
                    .variances(List.of(1.0, 1.0))
                    .build())
        .hasMessageContaining("variances must be 4 finite values > 0");
    assertThatThrownBy(
            () ->
                TrainingRecipe.forArchitecture(SsdModels.SSD7).toBuilder().learningRate(0).build())
        .hasMessageContaining("lr must be finite and > 0");
    assertThatThrownBy(
            () ->
                TrainingRecipe.forArchitecture(SsdModels.SSD7).toBuilder()
                    .limits(null, 0.0)
                    .build())
        .hasMessageContaining("a run needs an end");
    assertThatThrownBy(
            () -> TrainingRecipe.forArchitecture(SsdModels.SSD7).toBuilder().batchSize(0).build())
        .hasMessageContaining("batchSize must be >= 1, got 0");
  }

  @Test
  void theInputSizeIsTheMostCommonImageSizeScaledToFit() {
    InputSizeRule rule = InputSizeRule.fromImages();
    assertThat(rule.choose(images(new int[][] {{600, 1000}, {600, 1000}, {300, 300}})))
        .isEqualTo(new InputSize(288, 480));
    assertThat(rule.choose(images(new int[][] {{100, 200}}))).isEqualTo(new InputSize(96, 208));
    assertThat(rule.choose(images(new int[][] {{20, 40}}))).isEqualTo(new InputSize(64, 64));
    assertThat(rule.choose(images(new int[][] {{0, 0}}))).isEqualTo(new InputSize(300, 480));
    assertThat(InputSizeRule.fixed(7, 9).choose(images(new int[][] {{100, 200}})))
        .isEqualTo(new InputSize(7, 9));
    assertThat(new InputSize(300, 480)).hasToString("300x480");
  }

  @Test
  void aTimeBoundedRunTradesPixelsForEpochsDownToFourFifthsOfTheSide() {
    InputSizeRule.WithinBudget rule =
        (InputSizeRule.WithinBudget) InputSizeRule.fromImagesWithinBudget();
    InputSize full = new InputSize(304, 480);
    assertThat(rule.choose(images(new int[][] {{300, 480}}))).isEqualTo(full);
    assertThat(rule.fit(full, 16)).as("enough epochs").isEqualTo(full);
    assertThat(rule.fit(full, 40)).isEqualTo(full);
    // 12 of 16 epochs: sides times sqrt(0.75) = 0.866, rounded down to multiples of 16
    assertThat(rule.fit(full, 12)).isEqualTo(new InputSize(256, 400));
    // far too few: the floor of 0.8 per side
    assertThat(rule.fit(full, 9)).isEqualTo(new InputSize(240, 384));
    assertThat(rule.fit(full, 0)).isEqualTo(new InputSize(240, 384));
    // never below the base's smallest side
    assertThat(rule.fit(new InputSize(64, 80), 1)).isEqualTo(new InputSize(64, 64));
    assertThatThrownBy(() -> new InputSizeRule.WithinBudget(rule.base(), 0, 0.8))
        .hasMessageContaining("targetEpochs must be >= 1, got 0");
    assertThatThrownBy(() -> new InputSizeRule.WithinBudget(rule.base(), 16, 1.5))
        .hasMessageContaining("minScale must be in (0, 1], got 1.5");
  }

  @Test
  void aRunThatOnlyItsBudgetEndsMeasuresItsStepRateAndFitsTheInput() throws Exception {
    Path data = tmp.resolve("synth20");
    SyntheticDatasetGenerator.generate(
        SynthConfig.builder().splits(20, 0, 0).imageSize(80, 112).seed(7).build(),
        data,
        SyntheticDatasetGenerator.Progress.NONE);
    TrainingData d = TrainingData.load(DatasetSpec.of(data));
    MachineResources machine = new MachineResources(1, 1, false);
    TrainingRecipe ssd7 = TrainingRecipe.forArchitecture(SsdModels.SSD7);

    // 30 minutes over 20 images: thousands of epochs, the full size
    TrainingPlan roomy = TrainingPlan.of(ssd7, d, FineTuning.none(), machine);
    assertThat(roomy.origin())
        .containsPattern(
            "; input 80x112: 80x112 trains at [0-9.]+ img/s here, [0-9.]+ epochs in 30 min$");
    assertThat(roomy.description().inputHeight()).isEqualTo(80);

    // a second's budget: far fewer than 16 epochs, so 0.8 of each side in multiples of 16
    TrainingPlan tight =
        TrainingPlan.of(ssd7.toBuilder().minutes(1.0 / 60).build(), d, FineTuning.none(), machine);
    assertThat(tight.origin()).contains("(fewer than 16), so the input is scaled down");
    assertThat(List.of(tight.description().inputHeight(), tight.description().inputWidth()))
        .containsExactly(64, 80);

    // an epoch limit or a size of one's own: nothing measured
    assertThat(
            TrainingPlan.of(ssd7.toBuilder().epochs(3).build(), d, FineTuning.none(), machine)
                .origin())
        .doesNotContain("img/s");
    assertThat(
            TrainingPlan.of(
                    ssd7.toBuilder().inputSize(80, 112).build(), d, FineTuning.none(), machine)
                .origin())
        .doesNotContain("img/s");
  }

  @Test
  void aPlanBuildsTheRecipesModelForTheData() throws Exception {
    Path data = synth();
    TrainingData d = TrainingData.load(DatasetSpec.of(data));
    assertThat(d.source().split()).isEqualTo("train");
    assertThat(d.train().samples()).hasSize(6);
    assertThat(d.validation().samples()).hasSize(3);

    TrainingPlan ssd7 =
        TrainingPlan.of(
            TrainingRecipe.forArchitecture(SsdModels.SSD7),
            d,
            FineTuning.none(),
            new MachineResources(2, 3, false));
    ModelDescription m = ssd7.description();
    assertThat(m.architecture()).isEqualTo("ssd7");
    assertThat(List.of(m.inputHeight(), m.inputWidth())).containsExactly(96, 128);
    assertThat(m.anchors().variances()).containsExactly(0.1, 0.1, 0.2, 0.2);
    assertThat(m.classNames()).isEqualTo(d.train().classNames());
    // six images fill no batch of 16: nothing to measure, the images' size stays
    assertThat(ssd7.origin())
        .isEqualTo("reference SSD7 anchors (scales 0.08..0.96, ratios 0.5, 1, 2)");
    assertThat(ssd7.config())
        .isEqualTo(TrainingRecipe.forArchitecture("ssd7").trainConfig(false, 3));
    assertThat(ssd7.setup().workers()).isEqualTo(2);
    assertThat(ssd7.setup().cacheImages()).isFalse();
    assertThat(ssd7.setup().batchSize()).isEqualTo(16);
    assertThat(ssd7.setup().augmentation()).isEqualTo(Augmentation.LIGHT);
    assertThat(m.provenance().at("/training/split").asText()).isEqualTo("train");
    assertThat(m.provenance().at("/training/inputSize").asText()).isEqualTo("96x128");
    assertThat(m.provenance().at("/training/validationImages").asInt()).isEqualTo(3);
    assertThat(m.provenance().at("/training/loss").asText()).isEqualTo("standard");
    assertThat(
            ssd7.withProvenanceFact("command", "ssd train")
                .description()
                .provenance()
                .at("/training/command")
                .asText())
        .isEqualTo("ssd train");

    TrainingPlan ssd300 = TrainingPlan.of(TrainingRecipe.forArchitecture(SsdModels.SSD300), d);
    assertThat(ssd300.description().inputHeight()).isEqualTo(300);
    assertThat(ssd300.origin()).contains("Pascal VOC anchors");
    assertThatThrownBy(
            () ->
                TrainingPlan.of(
                    TrainingRecipe.forArchitecture(SsdModels.SSD300).toBuilder()
                        .inputSize(96, 128)
                        .build(),
                    d))
        .hasMessageContaining("fixed input size 300x300");

    TrainingPlan auto =
        TrainingPlan.of(
            TrainingRecipe.forArchitecture(SsdModels.SSD7).toBuilder()
                .anchors(Anchors.AUTO)
                .build(),
            d);
    assertThat(auto.description().anchors().variances()).containsExactly(0.1, 0.1, 0.2, 0.2);
  }

  @Test
  void aJavaCallerTrainsWithTheRecipeGivenOnlyTheDataAndARunDirectory() throws Exception {
    TrainingData d = TrainingData.load(DatasetSpec.of(synth()));
    TrainingRecipe quick =
        TrainingRecipe.forArchitecture(SsdModels.SSD7).toBuilder()
            .limits(1, null)
            .batchSize(3)
            .augmentation(Augmentation.NONE)
            .mapEvery(0)
            .warmupSteps(1)
            .build();
    Path run = tmp.resolve("run");
    TrainingResult result = DetectorTraining.train(quick, d, run, ProgressListener.NONE);
    assertThat(result.epochsCompleted()).isEqualTo(1);
    ModelDescription saved = DetectorTraining.savedDescription(run);
    assertThat(saved.anchors().variances()).containsExactly(0.1, 0.1, 0.2, 0.2);
    assertThat(saved.provenance().at("/training/batch").asInt()).isEqualTo(3);
    assertThatThrownBy(() -> DetectorTraining.savedDescription(tmp.resolve("none")))
        .hasMessageContaining("holds no complete checkpoint to resume from");
  }

  private Path synth() throws java.io.IOException {
    Path data = tmp.resolve("synth");
    SyntheticDatasetGenerator.generate(
        SynthConfig.builder().splits(6, 3, 0).imageSize(96, 128).seed(5).build(),
        data,
        SyntheticDatasetGenerator.Progress.NONE);
    return data;
  }

  private static Dataset images(int[][] heightsAndWidths) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < heightsAndWidths.length; i++) {
      samples.add(
          new Sample(
              "i" + i,
              Path.of("i" + i + ".jpg"),
              heightsAndWidths[i][1],
              heightsAndWidths[i][0],
              List.of()));
    }
    return new Dataset("test", List.of("a"), List.of(1), samples);
  }
}
