package org.grievance.ssd.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;
import org.grievance.ssd.testing.ModelTesting;
import org.junit.jupiter.api.Test;

class BatchNormFoldingTest {
  /** The SSD7 notebook's input scaling to [-1, 1], which keeps activations at trained-net scale. */
  private static final Ssd7.Config NOTEBOOK_CONFIG =
      new Ssd7.Config(
          5,
          new int[] {4, 4, 4, 4},
          InputPreprocessing.none().withSubtractMean(127.5f).withDivideByStddev(127.5f));

  @Test
  void foldedModelEqualsTheEvalModeModel() {
    Engine.getInstance().setRandomSeed(3);
    try (NDManager manager = NDManager.newBaseManager()) {
      SsdModel model = Ssd7.create(manager, NOTEBOOK_CONFIG, 300, 480);
      ModelTesting.randomiseBatchNorms(model, manager);
      SsdModel folded = model.foldBatchNorm(manager);

      assertThat(folded.layers().values()).noneMatch(b -> b instanceof BatchNorm);
      assertThat(folded.layers().keySet()).contains("conv1", "conv7", "classes4", "boxes7");
      assertThat(folded.parameterCount()).isEqualTo(213_904 - 1_344);
      try (NDManager sub = manager.newSubManager()) {
        NDArray images = sub.randomUniform(0f, 255f, new Shape(2, 3, 300, 480));
        NDList reference = ModelTesting.infer(model, images);
        NDList fast = ModelTesting.infer(folded, images);
        for (int i = 0; i < 2; i++) {
          assertThat(fast.get(i).getShape()).isEqualTo(reference.get(i).getShape());
          System.out.printf(
              "BN folding, output %d: max |reference| %.3g, max |delta| %.3g%n",
              i,
              reference.get(i).abs().max().getFloat(),
              ModelTesting.maxAbsDiff(fast.get(i), reference.get(i)));
          assertThat(ModelTesting.maxAbsDiff(fast.get(i), reference.get(i)))
              .as("output %d", i)
              .isLessThan(1e-4f);
        }
        // The comparison is meaningful: the randomised statistics really change the output.
        SsdModel fresh = Ssd7.create(sub, NOTEBOOK_CONFIG, 300, 480);
        assertThat(ModelTesting.maxAbsDiff(ModelTesting.infer(fresh, images).head(), fast.head()))
            .isGreaterThan(1e-2f);
      }
    }
  }

  @Test
  void foldingNeedsAnInitialisedModel() {
    assertThatThrownBy(() -> Ssd7.build(Ssd7.Config.defaults(1)).foldBatchNorm(null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("initialize");
  }
}
