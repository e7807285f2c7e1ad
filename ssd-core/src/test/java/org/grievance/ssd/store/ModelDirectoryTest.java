package org.grievance.ssd.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.grievance.ssd.model.SsdModel;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.testing.ModelTesting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one checkpoint format: DJL's parameter files beside {@code model.json}. */
class ModelDirectoryTest {
  private static final ModelDescription DESCRIPTION =
      ModelDescription.ssd7(128, 160, List.of("a", "b", "c", "d", "e"));

  @TempDir Path dir;

  private static Model model(long seed) {
    Engine.getInstance().setRandomSeed((int) seed);
    Model model = Model.newInstance("ssd7");
    model.setBlock(SsdModels.create(model.getNDManager(), DESCRIPTION));
    return model;
  }

  @Test
  void aSavedModelGivesIdenticalOutputsBatchNormStatisticsIncluded() throws IOException {
    Path saved = dir.resolve("model");
    try (Model original = model(1);
        Model otherSeed = model(2);
        NDManager manager = NDManager.newBaseManager()) {
      SsdModel network = (SsdModel) original.getBlock();
      ModelTesting.randomiseBatchNorms(network, manager);
      ModelDirectory.save(saved, original, DESCRIPTION);

      NDArray images = manager.randomUniform(0f, 255f, new Shape(1, 3, 128, 160));
      NDList expected = ModelTesting.infer(network, images);
      assertThat(
              ModelTesting.maxAbsDiff(
                  ModelTesting.infer((SsdModel) otherSeed.getBlock(), images).head(),
                  expected.head()))
          .as("different seeds differ before loading")
          .isPositive();

      ModelDirectory opened = ModelDirectory.open(saved);
      assertThat(opened.description()).isEqualTo(DESCRIPTION);
      try (Model loaded = opened.loadModel()) {
        NDList actual = ModelTesting.infer((SsdModel) loaded.getBlock(), images);
        for (int i = 0; i < 2; i++) {
          assertThat(actual.get(i).toFloatArray()).containsExactly(expected.get(i).toFloatArray());
        }
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(saved); // no temporary left behind
    }
  }

  @Test
  void savingNeedsAnInitialisedNetwork() {
    try (Model model = Model.newInstance("ssd7")) {
      model.setBlock(SsdModels.build(DESCRIPTION));
      assertThatThrownBy(() -> ModelDirectory.save(dir.resolve("x"), model, DESCRIPTION))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("initialised SsdModel");
    }
  }

  @Test
  void modelJsonIsRewrittenAtomicallyAndOnlyInItsDecoderAndProvenance() throws IOException {
    Path saved = dir.resolve("rewritten");
    try (Model model = model(3)) {
      ModelDirectory.save(saved, model, DESCRIPTION);
    }
    ModelDirectory opened = ModelDirectory.open(saved);
    ModelDescription otherNetwork = DESCRIPTION.toBuilder().l2WeightDecay(0.1).build();
    assertThatThrownBy(() -> opened.rewriteDescription(otherNetwork))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only the decoder defaults and the provenance");
    ModelDirectory rewritten =
        opened.rewriteDescription(DESCRIPTION.withClassThresholds(Map.of("c", 0.7), null));
    assertThat(rewritten.description().decoder().classThresholds()).containsEntry("c", 0.7);
    assertThat(ModelDirectory.open(saved).description()).isEqualTo(rewritten.description());
    try (Stream<Path> files = Files.list(saved)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }
}
