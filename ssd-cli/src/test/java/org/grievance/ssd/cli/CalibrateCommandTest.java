package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.store.CheckpointFiles;
import org.grievance.ssd.synth.SynthConfig;
import org.grievance.ssd.synth.SyntheticDatasetGenerator;
import org.grievance.ssd.testing.TinyModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrateCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Path run;
  private Path labels;

  /**
   * A run whose best/ and last/ hold different weights, and validation images labelled with best's
   * own detections, so that its curves have true positives.
   */
  @BeforeEach
  void setUp() throws IOException {
    run = tmp.resolve("run");
    try (Model best = TinyModels.model(51);
        Model last = TinyModels.model(52)) {
      TinyModels.save(best, TinyModels.DESCRIPTION, run, CheckpointFiles.BEST);
      TinyModels.save(last, TinyModels.DESCRIPTION, run, CheckpointFiles.LAST);
      labels = TinyModels.selfLabelled(best, TinyModels.DESCRIPTION, tmp.resolve("val"), 4, 2);
    }
  }

  private ModelDescription saved(String checkpoint) throws IOException {
    return ModelDescription.read(run.resolve(checkpoint).resolve(CheckpointFiles.DESCRIPTION_FILE));
  }

  @Test
  void aRunDirectoryGetsBestAndLastCalibratedAndPrintsTheTable() throws IOException {
    CliRunner.Result r =
        CliRunner.run("calibrate", "--model", run.toString(), "--data", labels.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("calibrating " + run + " on 4 images")
        .contains("per-class thresholds at best F1 on 4 images")
        .contains("written to " + run.resolve("best").resolve("model.json"))
        .contains("written to " + run.resolve("last").resolve("model.json"));
    Map<String, Double> best = saved("best").decoder().classThresholds();
    assertThat(best).containsOnlyKeys("circle", "square");
    for (Map.Entry<String, Double> e : best.entrySet()) {
      assertThat(r.out()).containsPattern("(?m)^" + e.getKey() + " +" + e.getValue() + " ");
    }
    assertThat(saved("last").provenance().get(ModelDescription.CALIBRATION).get("images").asInt())
        .isEqualTo(4);
  }

  @Test
  void aCheckpointDirectoryIsTheOnlyOneRewritten() throws IOException {
    CliRunner.Result r =
        CliRunner.run(
            "calibrate",
            "--model",
            run.resolve("best").toString(),
            "--data",
            labels.toString(),
            "--rule",
            "precision",
            "--target-precision",
            "0.95");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("precision >= 0.95").doesNotContain("last");
    assertThat(saved("best").provenance().get(ModelDescription.CALIBRATION).get("rule").asText())
        .isEqualTo("precision >= 0.95");
    assertThat(saved("last").provenance().has(ModelDescription.CALIBRATION)).isFalse();
    assertThat(saved("last").decoder().classThresholds()).isEmpty();
  }

  @Test
  void predictUsesTheThresholdsUnlessGivenOne() throws IOException {
    assertThat(
            CliRunner.run("calibrate", "--model", run.toString(), "--data", labels.toString())
                .exitCode())
        .isZero();
    Map<String, Double> thresholds = saved("best").decoder().classThresholds();
    Path image = tmp.resolve("val").resolve("img0.png");

    Path json = tmp.resolve("calibrated.json");
    CliRunner.Result calibrated =
        CliRunner.run(
            "predict", "--model", run.toString(), image.toString(), "--json", json.toString());
    assertThat(calibrated.exitCode()).as(calibrated.err()).isZero();
    assertThat(calibrated.out()).contains("per-class thresholds from the model: circle ");
    JsonNode detections = JSON.readTree(json.toFile()).get(0).get("detections");
    assertThat(detections).isNotEmpty();
    for (JsonNode d : detections) {
      assertThat(d.get("score").asDouble()).isGreaterThan(thresholds.get(d.get("class").asText()));
    }

    Path all = tmp.resolve("all.json");
    CliRunner.Result explicit =
        CliRunner.run(
            "predict",
            "--model",
            run.toString(),
            image.toString(),
            "--threshold",
            "0.01",
            "--json",
            all.toString());
    assertThat(explicit.out()).doesNotContain("per-class thresholds");
    assertThat(JSON.readTree(all.toFile()).get(0).get("detections").size())
        .isGreaterThan(detections.size());
  }

  @Test
  void aVocDirectoryIsReadAtItsValidationSplit() throws IOException {
    Path data = tmp.resolve("synth");
    SyntheticDatasetGenerator.generate(
        SynthConfig.builder().splits(2, 3, 0).imageSize(96, 128).seed(5).build(),
        data,
        SyntheticDatasetGenerator.Progress.NONE);
    Path model = TinyModels.run(tmp.resolve("synth-run"), TinyModels.ssd7(classes(data)), 53);
    CliRunner.Result r =
        CliRunner.run("calibrate", "--model", model.toString(), "--data", data.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("on 3 images of").contains("(val)");
  }

  private static java.util.List<String> classes(Path voc) throws IOException {
    return Files.readAllLines(voc.resolve("classes.txt")).stream()
        .filter(l -> !l.isBlank())
        .toList();
  }

  @Test
  void badOptionsAreNamed() {
    CliRunner.Result target =
        CliRunner.run(
            "calibrate",
            "--model",
            run.toString(),
            "--data",
            labels.toString(),
            "--target-precision",
            "0.9");
    assertThat(target.exitCode()).isEqualTo(1);
    assertThat(target.err()).contains("--target-precision 0.9 needs --rule precision");
    CliRunner.Result rule =
        CliRunner.run(
            "calibrate", "--model", run.toString(), "--data", labels.toString(), "--rule", "max");
    assertThat(rule.exitCode()).isEqualTo(2);
    assertThat(rule.err()).contains("--rule must be f1 or precision, not 'max'");
    CliRunner.Result range =
        CliRunner.run(
            "calibrate",
            "--model",
            run.toString(),
            "--data",
            labels.toString(),
            "--rule",
            "precision",
            "--target-precision",
            "1.5");
    assertThat(range.err()).contains("--target-precision must be in (0, 1], got 1.5");
  }
}
