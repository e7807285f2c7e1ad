package org.grievance.ssd.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.DatasetLoader;
import org.grievance.ssd.data.DatasetSpec;
import org.grievance.ssd.eval.ThresholdCalibration;
import org.grievance.ssd.eval.ThresholdRule;
import org.grievance.ssd.infer.DatasetPredictions;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.store.CheckpointFiles;
import org.grievance.ssd.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DetectorTraining#calibrate}: the step {@code ssd train} runs after training. */
class RunCalibrationTest {
  @TempDir Path tmp;

  @Test
  void bestAndLastAreEachCalibratedOnTheirOwnWeights() throws IOException {
    Path run = tmp.resolve("run");
    Dataset val;
    try (Model best = TinyModels.model(41);
        Model last = TinyModels.model(42)) {
      TinyModels.save(best, TinyModels.DESCRIPTION, run, CheckpointFiles.BEST);
      TinyModels.save(last, TinyModels.DESCRIPTION, run, CheckpointFiles.LAST);
      val =
          DatasetLoader.load(
              DatasetSpec.of(
                  TinyModels.selfLabelled(best, TinyModels.DESCRIPTION, tmp.resolve("val"), 3, 2)));
    }
    Map<String, ThresholdCalibration> calibrations =
        DetectorTraining.calibrate(
            run, val, ThresholdRule.bestF1(), DatasetPredictions.Progress.NONE);
    assertThat(calibrations).containsOnlyKeys(CheckpointFiles.BEST, CheckpointFiles.LAST);
    for (Map.Entry<String, ThresholdCalibration> e : calibrations.entrySet()) {
      ModelDescription saved =
          ModelDescription.read(run.resolve(e.getKey()).resolve(CheckpointFiles.DESCRIPTION_FILE));
      assertThat(saved.decoder().classThresholds())
          .as(e.getKey())
          .isEqualTo(e.getValue().thresholds());
    }
    // The data was labelled by best's own detections, so best finds objects of every class.
    assertThat(calibrations.get(CheckpointFiles.BEST).classes())
        .allMatch(c -> c.chosen() && c.recall() > 0);
    assertThat(calibrations.get(CheckpointFiles.LAST)).isNotEqualTo(calibrations.get("best"));
  }

  @Test
  void aLastThatIsACopyOfBestGetsTheSameThresholds() throws IOException {
    Path run = tmp.resolve("copied");
    Dataset val;
    try (Model best = TinyModels.model(43);
        Model other = TinyModels.model(44)) {
      TinyModels.save(best, TinyModels.DESCRIPTION, run, CheckpointFiles.BEST);
      CheckpointFiles.copy(run, CheckpointFiles.BEST, CheckpointFiles.LAST);
      TinyModels.save(other, TinyModels.DESCRIPTION, tmp.resolve("other"), CheckpointFiles.LAST);
      val =
          DatasetLoader.load(
              DatasetSpec.of(
                  TinyModels.selfLabelled(best, TinyModels.DESCRIPTION, tmp.resolve("v2"), 3, 2)));
    }
    assertThat(
            CheckpointFiles.sameParameters(
                run.resolve(CheckpointFiles.BEST), run.resolve(CheckpointFiles.LAST)))
        .isTrue();
    assertThat(
            CheckpointFiles.sameParameters(
                run.resolve(CheckpointFiles.BEST),
                tmp.resolve("other").resolve(CheckpointFiles.LAST)))
        .isFalse();
    Map<String, ThresholdCalibration> calibrations =
        DetectorTraining.calibrate(
            run, val, ThresholdRule.bestF1(), DatasetPredictions.Progress.NONE);
    assertThat(calibrations.get(CheckpointFiles.LAST))
        .isEqualTo(calibrations.get(CheckpointFiles.BEST));
    assertThat(calibrations.get(CheckpointFiles.BEST).thresholds()).isNotEmpty();
    for (String name : calibrations.keySet()) {
      assertThat(
              ModelDescription.read(run.resolve(name).resolve(CheckpointFiles.DESCRIPTION_FILE))
                  .decoder()
                  .classThresholds())
          .as(name)
          .isEqualTo(calibrations.get(CheckpointFiles.BEST).thresholds());
    }
  }

  @Test
  void aRunWithoutCheckpointsIsAnError() {
    Dataset empty =
        new Dataset(
            "none",
            TinyModels.DESCRIPTION.classNames(),
            java.util.List.of(1, 2),
            java.util.List.of());
    assertThatThrownBy(
            () ->
                DetectorTraining.calibrate(
                    tmp.resolve("nothing"),
                    empty,
                    ThresholdRule.bestF1(),
                    DatasetPredictions.Progress.NONE))
        .hasMessageContaining("holds no complete checkpoint to calibrate");
  }
}
