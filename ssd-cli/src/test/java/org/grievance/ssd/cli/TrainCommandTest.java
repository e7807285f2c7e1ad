package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.grievance.ssd.data.DatasetSpec;
import org.grievance.ssd.eval.ThresholdRule;
import org.grievance.ssd.loss.FocalLossConfig;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.store.CheckpointFiles;
import org.grievance.ssd.synth.SynthConfig;
import org.grievance.ssd.synth.SyntheticDatasetGenerator;
import org.grievance.ssd.train.Checkpoints;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.training.DetectorTraining;
import org.grievance.ssd.training.DetectorTraining.Setup;
import org.grievance.ssd.training.FineTuning;
import org.grievance.ssd.training.MachineResources;
import org.grievance.ssd.training.TrainingData;
import org.grievance.ssd.training.TrainingPlan;
import org.grievance.ssd.training.TrainingRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {
  @TempDir Path tmp;

  private static TrainCommand parse(String... args) {
    TrainCommand cmd = new TrainCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd;
  }

  @Test
  void lossFocalSetsTheFocalTermWithItsOptions() {
    TrainConfig focal =
        parse(
                "--data",
                "d",
                "--out",
                "o",
                "--loss",
                "focal",
                "--focal-alpha",
                "0.5",
                "--focal-gamma",
                "1")
            .trainConfig(1);
    assertThat(focal.loss().focal()).isEqualTo(new FocalLossConfig(0.5, 1, 0.01));
    assertThat(parse("--data", "d", "--out", "o", "--loss", "focal").trainConfig(1).loss().focal())
        .isEqualTo(FocalLossConfig.defaults());
    assertThat(parse("--data", "d", "--out", "o").trainConfig(1).loss().usesFocalLoss()).isFalse();
    assertThatThrownBy(() -> parse("--data", "d", "--out", "o", "--loss", "dice").trainConfig(1))
        .hasMessageContaining("--loss must be standard or focal, not 'dice'");
    assertThatThrownBy(
            () ->
                parse("--data", "d", "--out", "o", "--loss", "focal", "--focal-gamma", "-1")
                    .trainConfig(1))
        .hasMessageContaining("gamma");
  }

  @Test
  void theDefaultPeakRateDependsOnWhetherSsd7TrainsFromScratch() {
    assertThat(parse("--data", "d", "--out", "o").trainConfig(1).schedule().lr())
        .isEqualTo(TrainingRecipe.SSD7_LEARNING_RATE);
    assertThat(parse("--data", "d", "--out", "o", "--model", "SSD7").trainConfig(1).schedule().lr())
        .isEqualTo(TrainingRecipe.SSD7_LEARNING_RATE);
    assertThat(
            parse("--data", "d", "--out", "o", "--model", "ssd300").trainConfig(1).schedule().lr())
        .isEqualTo(TrainingRecipe.DEFAULT_LEARNING_RATE);
    assertThat(parse("--data", "d", "--out", "o", "--init", "m").trainConfig(1).schedule().lr())
        .isEqualTo(TrainingRecipe.DEFAULT_LEARNING_RATE);
    assertThat(
            parse("--data", "d", "--out", "o", "--lr", "5e-4", "--schedule", "constant")
                .trainConfig(1)
                .schedule()
                .lr())
        .isEqualTo(5e-4);
  }

  @Test
  void theCommandLineTrainsWhatTheLibrarysRecipeTrains() throws Exception {
    Path data = tmp.resolve("synth");
    SyntheticDatasetGenerator.generate(
        SynthConfig.builder().splits(6, 3, 0).imageSize(96, 128).seed(6).build(),
        data,
        SyntheticDatasetGenerator.Progress.NONE);
    TrainingData loaded = TrainingData.load(DatasetSpec.of(data));
    MachineResources machine = MachineResources.ofThisMachine();
    int cores = Runtime.getRuntime().availableProcessors();
    String d = data.toString();

    TrainingPlan ssd7 = TrainingPlan.of(TrainingRecipe.forArchitecture("ssd7"), loaded);
    TrainCommand cli = parse("--data", d, "--out", "o");
    assertThat(comparable(cli.plan(machine))).isEqualTo(comparable(ssd7));
    assertThat(cli.trainConfig(cores)).isEqualTo(ssd7.config());
    assertThat(ssd7.description().anchors().variances()).containsExactly(0.1, 0.1, 0.2, 0.2);

    TrainingPlan ssd300 = TrainingPlan.of(TrainingRecipe.forArchitecture("ssd300"), loaded);
    assertThat(comparable(parse("--data", d, "--out", "o", "--model", "ssd300").plan(machine)))
        .isEqualTo(comparable(ssd300));
    assertThat(ssd300.description())
        .usingRecursiveComparison()
        .ignoringFields("provenance")
        .isEqualTo(
            ModelDescription.ssd300(
                loaded.train().classNames(), org.grievance.ssd.anchor.AnchorConfig.ssd300Voc()));

    Path init = tmp.resolve("init");
    Files.createDirectories(init);
    ModelDescription.ssd7(96, 128, loaded.train().classNames())
        .write(init.resolve(CheckpointFiles.DESCRIPTION_FILE));
    TrainingPlan fineTuning =
        TrainingPlan.of(
            TrainingRecipe.forArchitecture("ssd7"),
            loaded,
            new FineTuning(init, null, null),
            machine);
    TrainCommand withInit = parse("--data", d, "--out", "o", "--init", init.toString());
    assertThat(comparable(withInit.plan(machine))).isEqualTo(comparable(fineTuning));
    assertThat(fineTuning.config().schedule().lr()).isEqualTo(1e-3);
  }

  /**
   * The plan without the parts that differ between two identical runs: time, command line and the
   * measured step rate.
   */
  private static TrainingPlan comparable(TrainingPlan plan) {
    ModelDescription d = plan.description();
    ObjectNode facts = (ObjectNode) d.provenance().get(TrainingPlan.PROVENANCE_KEY).deepCopy();
    facts.remove("command");
    ModelDescription bare =
        d.toBuilder().provenance(null).build().withProvenance(TrainingPlan.PROVENANCE_KEY, facts);
    Setup s = plan.setup();
    return new TrainingPlan(
        new Setup(
            bare,
            s.train(),
            s.validation(),
            s.batchSize(),
            s.augmentation(),
            s.workers(),
            s.cacheImages(),
            s.mapEvery(),
            s.mapMaxImages()),
        plan.config(),
        plan.fineTuning(),
        plan.origin().replaceAll("[0-9.]+ img/s here, [0-9.]+ epochs", "R img/s here, E epochs"));
  }

  @Test
  void choicesAreEnumsSpelledAsBeforeAndBadOnesAreUsageErrors() {
    TrainConfig c =
        parse(
                "--data",
                "d",
                "--out",
                "o",
                "--optimizer",
                " SGD ",
                "--schedule",
                "Plateau",
                "--mining",
                "image",
                "--augment",
                "NONE",
                "--anchors",
                "auto")
            .trainConfig(1);
    assertThat(c.optimizer()).isEqualTo(org.grievance.ssd.train.OptimizerConfig.sgd());
    assertThat(c.plateau()).isNotNull();
    assertThat(c.loss().mining()).isEqualTo(org.grievance.ssd.loss.NegativeMining.PER_IMAGE);
    TrainingRecipe r =
        parse("--data", "d", "--out", "o", "--augment", "ssd", "--anchors", "AUTO").recipe();
    assertThat(r.augmentation()).isEqualTo(DetectorTraining.Augmentation.SSD);
    assertThat(r.anchors()).isEqualTo(TrainingRecipe.Anchors.AUTO);

    String[][] bad = {
      {"--optimizer", "adamw", "--optimizer must be adam or sgd, not 'adamw'"},
      {
        "--schedule", "linear", "--schedule must be cosine, step, constant or plateau, not 'linear'"
      },
      {"--mining", "per_image", "--mining must be batch or image, not 'per_image'"},
      {"--augment", "heavy", "--augment must be none, constant, light or ssd, not 'heavy'"},
      {"--anchors", "kmeans", "--anchors must be reference or auto, not 'kmeans'"},
      {"--loss", "dice", "--loss must be standard or focal, not 'dice'"},
      {"--calibrate", "best", "--calibrate must be f1, precision or none, not 'best'"}
    };
    for (String[] b : bad) {
      CliRunner.Result r2 = CliRunner.run("train", "--data", "d", "--out", "o", b[0], b[1]);
      assertThat(r2.exitCode()).as(b[0]).isEqualTo(2);
      assertThat(r2.err()).contains(b[2]);
    }
    CliRunner.Result help = CliRunner.run("train", "--help");
    String words = help.out().replaceAll("\\s+", " ");
    assertThat(words)
        .contains("adam, sgd")
        .contains("cosine, step, constant, plateau")
        .contains("batch, image")
        .contains("none, constant, light, ssd")
        .contains("reference, auto")
        .contains("standard, focal")
        .contains("f1, precision, none");
  }

  @Test
  void anUnknownModelFailsListingTheRegisteredOnes() {
    CliRunner.Result r =
        CliRunner.run(
            "train",
            "--model",
            "resnet-9000",
            "--data",
            tmp.toString(),
            "--out",
            tmp.resolve("run").toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err())
        .contains("--model resnet-9000 is not a registered architecture")
        .contains("ssd7");
  }

  @Test
  void trainsARegisteredNonSsd7ModelWithTheFocalLoss() throws Exception {
    Path data = tmp.resolve("synth");
    SyntheticDatasetGenerator.generate(
        SynthConfig.builder().splits(8, 4, 0).imageSize(96, 128).seed(3).build(),
        data,
        SyntheticDatasetGenerator.Progress.NONE);
    Path run = tmp.resolve("run");
    CliRunner.Result r =
        CliRunner.run(
            "train",
            "--model",
            "mobilenetv2-ssdlite-0.5",
            "--loss",
            "focal",
            "--data",
            data.toString(),
            "--out",
            run.toString(),
            "--epochs",
            "1",
            "--batch",
            "4",
            "--augment",
            "none",
            "--map-every",
            "0",
            "--workers",
            "1",
            "--threads",
            "1",
            "--warmup",
            "1");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("mobilenetv2-ssdlite-0.5 default anchors");
    Path last = run.resolve(CheckpointFiles.LAST);
    ModelDescription saved = ModelDescription.read(last.resolve(CheckpointFiles.DESCRIPTION_FILE));
    assertThat(saved.architecture()).isEqualTo("mobilenetv2-ssdlite-0.5");
    assertThat(saved.inputHeight()).isEqualTo(96);
    assertThat(saved.provenance().at("/training/loss").asText()).isEqualTo("focal");
    assertThat(Checkpoints.readState(last).config().loss().focal())
        .isEqualTo(FocalLossConfig.defaults());
    // Training ends by choosing per-class thresholds on the 4 validation images.
    assertThat(r.out())
        .contains("choosing per-class thresholds on 4 validation images")
        .contains("per-class thresholds at best F1 on 4 images");
    for (String checkpoint : new String[] {CheckpointFiles.BEST, CheckpointFiles.LAST}) {
      ModelDescription calibrated =
          ModelDescription.read(run.resolve(checkpoint).resolve(CheckpointFiles.DESCRIPTION_FILE));
      assertThat(calibrated.provenance().at("/calibration/images").asInt())
          .as(checkpoint)
          .isEqualTo(4);
    }
  }

  @Test
  void calibrateAndTargetPrecisionChooseTheRule() {
    assertThat(parse("--data", "d", "--out", "o").thresholdRule())
        .isEqualTo(ThresholdRule.bestF1());
    assertThat(parse("--data", "d", "--out", "o", "--calibrate", "precision").thresholdRule())
        .isEqualTo(ThresholdRule.targetPrecision(ThresholdRule.DEFAULT_TARGET_PRECISION));
    assertThat(
            parse(
                    "--data",
                    "d",
                    "--out",
                    "o",
                    "--calibrate",
                    "precision",
                    "--target-precision",
                    "0.8")
                .thresholdRule())
        .isEqualTo(ThresholdRule.targetPrecision(0.8));
    assertThat(parse("--data", "d", "--out", "o", "--calibrate", "none").thresholdRule()).isNull();
    assertThatThrownBy(
            () -> parse("--data", "d", "--out", "o", "--target-precision", "0.8").thresholdRule())
        .hasMessageContaining("--target-precision 0.8 needs --calibrate precision");
  }

  @Test
  void ssd7GetsThePaperVariancesUnlessToldOtherwise() throws Exception {
    Path data = tmp.resolve("synth7");
    SyntheticDatasetGenerator.generate(
        SynthConfig.builder().splits(4, 2, 0).imageSize(96, 128).seed(4).build(),
        data,
        SyntheticDatasetGenerator.Progress.NONE);
    for (String[] option : new String[][] {{}, {"--variances", "1,1,0.5,0.5"}}) {
      Path run = tmp.resolve("run7-" + option.length);
      java.util.List<String> args =
          new java.util.ArrayList<>(
              java.util.List.of(
                  "train",
                  "--data",
                  data.toString(),
                  "--out",
                  run.toString(),
                  "--epochs",
                  "1",
                  "--batch",
                  "2",
                  "--augment",
                  "none",
                  "--map-every",
                  "0",
                  "--workers",
                  "1",
                  "--threads",
                  "1",
                  "--warmup",
                  "1"));
      args.addAll(java.util.List.of(option));
      CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(r.err()).isZero();
      ModelDescription saved =
          ModelDescription.read(
              run.resolve(CheckpointFiles.LAST).resolve(CheckpointFiles.DESCRIPTION_FILE));
      assertThat(saved.anchors().variances())
          .containsExactly(
              option.length == 0
                  ? new Double[] {0.1, 0.1, 0.2, 0.2}
                  : new Double[] {1.0, 1.0, 0.5, 0.5});
    }
  }
}
