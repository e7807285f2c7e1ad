package org.grievance.ssd.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
  @TempDir Path run;

  private static TrainingState state(int epoch) {
    return new TrainingState(
        TrainingState.FORMAT_VERSION,
        epoch,
        epoch * 10L,
        100,
        1e-3,
        1,
        null,
        null,
        "loss",
        1.0,
        epoch,
        1.0,
        1,
        0.1,
        Toy.config().build());
  }

  private static Model initialised(String name) {
    Model m = Toy.model(name);
    m.getBlock().initialize(m.getNDManager(), m.getDataType(), new Shape(1, 3, 16, 16));
    return m;
  }

  private static float[] firstWeights(Model m) {
    return m.getBlock().getParameters().valueAt(0).getArray().toFloatArray();
  }

  @Test
  void writeReplacesTheDirectoryAndLoadRestoresTheWeights() throws IOException {
    try (Model a = initialised("a");
        Model b = initialised("b")) {
      Checkpoints.write(
          run, "last", a, state(1), JsonNodeFactory.instance.objectNode().put("k", 1));
      Checkpoints.write(run, "last", a, state(2), null);
      Path last = Checkpoints.locate(run, "last").orElseThrow();
      assertThat(Checkpoints.readState(last).epochsCompleted()).isEqualTo(2);
      assertThat(last.resolve("model-0002.params")).isRegularFile();
      assertThat(last.resolve("model-0001.params")).doesNotExist();
      assertThat(last.resolve("model.json"))
          .as("a replaced directory keeps no old files")
          .doesNotExist();
      assertThat(firstWeights(b)).isNotEqualTo(firstWeights(a));
      Checkpoints.loadParameters(b, last);
      assertThat(firstWeights(b)).isEqualTo(firstWeights(a));
    }
  }

  @Test
  void aCrashBetweenTheTwoRenamesIsRepairedFromThePreviousCompleteDirectory() throws IOException {
    try (Model a = initialised("a")) {
      Checkpoints.write(run, "last", a, state(1), null);
      // Simulate: old "last" renamed to ".last.prev", crash before ".last.tmp" became "last".
      Files.move(run.resolve("last"), run.resolve(".last.prev"));
      Files.createDirectories(run.resolve(".last.tmp"));
      Files.writeString(run.resolve(".last.tmp/half-written.params"), "x");
      Path repaired = Checkpoints.locate(run, "last").orElseThrow();
      assertThat(Checkpoints.readState(repaired).epochsCompleted()).isEqualTo(1);
      assertThat(run.resolve(".last.prev")).doesNotExist();
      // The next write discards the half-written temporary directory.
      Checkpoints.write(run, "last", a, state(2), null);
      assertThat(run.resolve(".last.tmp")).doesNotExist();
      assertThat(Checkpoints.readState(run.resolve("last")).epochsCompleted()).isEqualTo(2);
    }
  }

  @Test
  void aStalePreviousDirectoryIsRemovedAndCopyMakesACompleteBest() throws IOException {
    try (Model a = initialised("a")) {
      Checkpoints.write(run, "last", a, state(3), null);
      Files.createDirectories(run.resolve(".last.prev"));
      assertThat(Checkpoints.locate(run, "last")).isPresent();
      assertThat(run.resolve(".last.prev")).doesNotExist();
      Checkpoints.copy(run, "last", "best");
      assertThat(Checkpoints.readState(run.resolve("best")).epochsCompleted()).isEqualTo(3);
      assertThat(run.resolve("best/model-0003.params")).isRegularFile();
      assertThat(Checkpoints.locate(run, "missing")).isEmpty();
    }
  }

  @Test
  void aDirectoryWithoutStateIsNotTakenForACheckpoint() throws IOException {
    Files.createDirectories(run.resolve("last"));
    assertThatThrownBy(() -> Checkpoints.locate(run, "last"))
        .hasMessageContaining("has no training-state.json");
  }
}
