package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.grievance.ssd.store.ModelDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsCommandTest {
  /** The Keras fixtures of ssd-core (written by its make_keras_fixtures.py). */
  private static final Path FIXTURES = Path.of("../ssd-core/src/test/resources/keras");

  @TempDir Path tmp;

  @Test
  void importsAKerasFileAndSubsamplesTheResult() throws Exception {
    Path imported = tmp.resolve("imported");
    CliRunner.Result r =
        CliRunner.run(
            "weights",
            "import",
            "--keras",
            FIXTURES.resolve("keras_full_model.h5").toString(),
            "--model",
            "ssd300",
            "--classes",
            "cat,dog,fish",
            "--out",
            imported.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("full model layout", "loaded 2 layers: conv1_1, conv4_3_norm")
        .contains("skipped 1 layers of the file not in the model: dense_extra")
        .contains("missing 34");
    ModelDirectory dir = ModelDirectory.open(imported);
    assertThat(dir.description().architecture()).isEqualTo("ssd300");
    assertThat(dir.description().classNames()).containsExactly("cat", "dog", "fish");

    Path sampled = tmp.resolve("sampled");
    r =
        CliRunner.run(
            "weights",
            "subsample",
            "--in",
            imported.toString(),
            "--classes",
            "0,fish,1,new",
            "--out",
            sampled.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(ModelDirectory.open(sampled).description().classNames())
        .containsExactly("fish", "cat", "new_3");
  }

  @Test
  void aShapeMismatchFailsNamingTheLayerAndBothShapes() {
    CliRunner.Result r =
        CliRunner.run(
            "weights",
            "import",
            "--keras",
            FIXTURES.resolve("keras_shape_mismatch.h5").toString(),
            "--model",
            "ssd300",
            "--classes",
            "2",
            "--out",
            tmp.resolve("x").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("conv1_1", "(3, 3, 3, 8)", "(3, 3, 3, 64)");
  }
}
