package org.grievance.ssd.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.grievance.ssd.testing.ModelTesting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelWeightsTest {
  @TempDir Path dir;

  @Test
  void roundTripGivesIdenticalOutputs() throws IOException {
    Path file = dir.resolve("weights/ssd7.params");
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(1);
      SsdModel saved = Ssd7.create(manager, Ssd7.Config.defaults(5), 300, 480);
      ModelTesting.randomiseBatchNorms(saved, manager);
      ModelWeights.save(saved, file);

      Engine.getInstance().setRandomSeed(2);
      SsdModel loaded = Ssd7.create(manager, Ssd7.Config.defaults(5), 300, 480);
      try (NDManager sub = manager.newSubManager()) {
        NDArray images = sub.randomUniform(0f, 255f, new Shape(1, 3, 128, 160));
        NDList expected = ModelTesting.infer(saved, images);
        assertThat(
                ModelTesting.maxAbsDiff(ModelTesting.infer(loaded, images).head(), expected.head()))
            .as("different seeds differ before loading")
            .isPositive();

        ModelWeights.load(loaded, manager, file);
        NDList actual = ModelTesting.infer(loaded, images);
        for (int i = 0; i < 2; i++) {
          assertThat(actual.get(i).toFloatArray()).containsExactly(expected.get(i).toFloatArray());
        }
      }
      for (Pair<String, Parameter> p : loaded.getParameters()) {
        assertThat(p.getValue().getArray().hasGradient())
            .as("%s trainable after load", p.getKey())
            .isEqualTo(p.getValue().requiresGradient());
      }
    }
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temporary left behind
    }
  }

  @Test
  void loadingIntoAnotherArchitectureNamesTheFirstMismatch() throws IOException {
    Path file = dir.resolve("five.params");
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelWeights.save(Ssd7.create(manager, Ssd7.Config.defaults(5), 64, 64), file);
      SsdModel threeClasses = Ssd7.create(manager, Ssd7.Config.defaults(3), 64, 64);
      assertThatThrownBy(() -> ModelWeights.load(threeClasses, manager, file))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("five.params")
          .hasMessageContaining("heads_classes4_weight (24, 64, 3, 3)")
          .hasMessageContaining("heads_classes4_weight (16, 64, 3, 3)");
    }
  }

  @Test
  void rejectsFilesThatAreNotWeights() throws IOException {
    Path file = dir.resolve("junk.params");
    Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    try (NDManager manager = NDManager.newBaseManager()) {
      SsdModel model = Ssd7.create(manager, Ssd7.Config.defaults(5), 64, 64);
      assertThatThrownBy(() -> ModelWeights.load(model, manager, file))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("junk.params")
          .hasMessageContaining("magic");
    }
  }

  @Test
  void needsAnInitialisedModel() {
    assertThatThrownBy(
            () -> ModelWeights.save(Ssd7.build(Ssd7.Config.defaults(5)), dir.resolve("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("initialize");
  }
}
