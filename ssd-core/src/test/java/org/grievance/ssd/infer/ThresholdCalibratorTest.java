package org.grievance.ssd.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.DatasetLoader;
import org.grievance.ssd.data.DatasetSpec;
import org.grievance.ssd.eval.ClassThreshold;
import org.grievance.ssd.eval.ThresholdCalibration;
import org.grievance.ssd.eval.ThresholdRule;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.store.CheckpointFiles;
import org.grievance.ssd.store.ModelDirectory;
import org.grievance.ssd.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThresholdCalibratorTest {
  @TempDir Path tmp;

  private static final DatasetPredictions.Progress QUIET = DatasetPredictions.Progress.NONE;

  @Test
  void calibratesOnTheValidationImagesAndStoresTheThresholdsInModelJson() throws IOException {
    Path run = tmp.resolve("run");
    Dataset val;
    try (Model model = TinyModels.model(31)) {
      TinyModels.save(model, TinyModels.DESCRIPTION, run, CheckpointFiles.BEST);
      val =
          DatasetLoader.load(
              DatasetSpec.of(
                  TinyModels.selfLabelled(
                      model, TinyModels.DESCRIPTION, tmp.resolve("val"), 4, 2)));
    }
    ThresholdCalibration c = ThresholdCalibrator.calibrate(run, val, ThresholdRule.bestF1(), QUIET);

    assertThat(c.images()).isEqualTo(4);
    assertThat(c.classes()).extracting(ClassThreshold::name).containsExactly("circle", "square");
    assertThat(c.classes()).allMatch(ClassThreshold::chosen);
    ModelDescription saved = ModelDirectory.open(run).description();
    assertThat(saved.decoder().classThresholds()).isEqualTo(c.thresholds());
    JsonNode why = saved.provenance().get(ModelDescription.CALIBRATION);
    assertThat(why.get("rule").asText()).isEqualTo("best F1");
    assertThat(why.get("images").asInt()).isEqualTo(4);
    assertThat(why.get("classes").get("square").get("threshold").asDouble())
        .isEqualTo(c.thresholds().get("square"));
    assertThat(why.get("classes").get("circle").get("outcome").asText()).isEqualTo("chosen");
    // Everything but the decoder and the provenance is as it was.
    assertThat(saved.withClassThresholds(java.util.Map.of(), null).withProvenance("created", null))
        .isEqualTo(TinyModels.DESCRIPTION.withProvenance("created", null));

    // A detector loaded with its defaults uses them.
    try (Detector d = Detector.load(run, DetectorOptions.defaults())) {
      assertThat(d.decoderConfig().classThresholds())
          .containsExactly(c.thresholds().get("circle"), c.thresholds().get("square"));
    }

    // Calibrating again replaces them (here: a precision target that the curves cannot all meet).
    ThresholdCalibration strict =
        ThresholdCalibrator.calibrate(run, val, ThresholdRule.targetPrecision(1.0), QUIET);
    assertThat(ModelDirectory.open(run).description().decoder().classThresholds())
        .isEqualTo(strict.thresholds());
    assertThat(
            ModelDirectory.open(run)
                .description()
                .provenance()
                .get(ModelDescription.CALIBRATION)
                .get("rule")
                .asText())
        .isEqualTo("precision >= 1.0");
  }

  @Test
  void classesTheDataLacksKeepTheGlobalThreshold() throws IOException {
    ModelDescription three = TinyModels.ssd7(List.of("circle", "square", "star"));
    Path run = tmp.resolve("run3");
    Path csv;
    try (Model model = TinyModels.model(three, 32)) {
      TinyModels.save(model, three, run, CheckpointFiles.BEST);
      csv = TinyModels.selfLabelled(model, three, tmp.resolve("val3"), 3, 1);
    }
    // The data knows only the first two classes.
    Files.write(csv, Files.readAllLines(csv).stream().filter(l -> !l.endsWith(",3")).toList());
    Dataset val =
        DatasetLoader.load(DatasetSpec.builder(csv).classes(List.of("circle", "square")).build());
    assertThat(val.classNames()).doesNotContain("star");
    ThresholdCalibration c = ThresholdCalibrator.calibrate(run, val, ThresholdRule.bestF1(), QUIET);
    assertThat(c.classes().get(2).outcome()).isEqualTo(ClassThreshold.Outcome.NO_GROUND_TRUTH);
    assertThat(ModelDirectory.open(run).description().decoder().classThresholds())
        .doesNotContainKey("star");
  }

  @Test
  void refusesDetectionsWhoseCurvesAreCutShort() throws IOException {
    try (Model model = TinyModels.model(33);
        Detector detector =
            Detector.of(model, TinyModels.DESCRIPTION, DetectorOptions.defaults())) {
      Dataset val =
          DatasetLoader.load(
              DatasetSpec.of(
                  TinyModels.selfLabelled(model, TinyModels.DESCRIPTION, tmp.resolve("v"), 1, 1)));
      assertThatThrownBy(
              () -> ThresholdCalibrator.calibrate(detector, val, ThresholdRule.bestF1(), QUIET))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not 0.5")
          .hasMessageContaining("cuts the precision-recall curves short");
    }
  }
}
