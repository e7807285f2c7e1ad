package org.grievance.ssd.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class SsdHeadsTest {
  private static final int CLASSES = 3; // 2 object classes + background

  /** Raw NCHW output of one head convolution, computed outside the heads block. */
  private static float[] rawConv(Block conv, NDArray input) {
    NDArray w = conv.getDirectParameters().get("weight").getArray();
    NDArray b = conv.getDirectParameters().get("bias").getArray();
    return Conv2d.conv2d(input, w, b, new Shape(1, 1), new Shape(1, 1)).head().toFloatArray();
  }

  @Test
  void rowsFollowTheReferenceAnchorOrderAcrossLayers() {
    Engine.getInstance().setRandomSeed(11);
    int[] boxes = {2, 3};
    int[][] hw = {{3, 5}, {2, 2}};
    SsdHeads heads =
        new SsdHeads(
            List.of(
                new PredictorSpec("c0", "b0", boxes[0]), new PredictorSpec("c1", "b1", boxes[1])),
            2);
    try (NDManager manager = NDManager.newBaseManager()) {
      Shape s0 = new Shape(1, 4, hw[0][0], hw[0][1]);
      Shape s1 = new Shape(1, 4, hw[1][0], hw[1][1]);
      heads.initialize(manager, DataType.FLOAT32, s0, s1);
      NDList features = new NDList(manager.randomNormal(s0), manager.randomNormal(s1));
      NDList out = heads.forward(new ParameterStore(manager, false), features, false);
      int n = 3 * 5 * 2 + 2 * 2 * 3;
      assertThat(out.get(0).getShape()).isEqualTo(new Shape(1, n, CLASSES));
      assertThat(out.get(1).getShape()).isEqualTo(new Shape(1, n, 4));
      float[] logits = out.get(0).toFloatArray();
      float[] offsets = out.get(1).toFloatArray();

      int rowBase = 0;
      for (int layer = 0; layer < 2; layer++) {
        float[] cls = rawConv(heads.getChildren().get("c" + layer), features.get(layer));
        float[] loc = rawConv(heads.getChildren().get("b" + layer), features.get(layer));
        int h = hw[layer][0];
        int w = hw[layer][1];
        int nb = boxes[layer];
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            for (int b = 0; b < nb; b++) {
              int row = rowBase + (y * w + x) * nb + b;
              for (int k = 0; k < CLASSES; k++) {
                float expected = cls[((b * CLASSES + k) * h + y) * w + x];
                assertThat(logits[row * CLASSES + k])
                    .as("layer %d y %d x %d box %d class %d", layer, y, x, b, k)
                    .isEqualTo(expected);
              }
              for (int j = 0; j < 4; j++) {
                float expected = loc[((b * 4 + j) * h + y) * w + x];
                assertThat(offsets[row * 4 + j]).isEqualTo(expected);
              }
            }
          }
        }
        rowBase += h * w * nb;
      }
    }
  }

  @Test
  void rejectsTheWrongNumberOfFeatureMaps() {
    SsdHeads heads = new SsdHeads(List.of(new PredictorSpec("c", "b", 4)), 1);
    assertThatThrownBy(
            () -> heads.getOutputShapes(new Shape[] {new Shape(1, 8, 2, 2), new Shape(1, 8, 1, 1)}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expect 1 feature maps")
        .hasMessageContaining("got 2");
  }

  @Test
  void validatesSpecs() {
    assertThatThrownBy(() -> new PredictorSpec("c", "c", 4)).hasMessageContaining("differ");
    assertThatThrownBy(() -> new PredictorSpec("c", "b", 0)).hasMessageContaining("boxesPerCell");
    assertThatThrownBy(
            () ->
                new SsdHeads(
                    List.of(new PredictorSpec("c", "b", 4), new PredictorSpec("c", "x", 4)), 1))
        .hasMessageContaining("c is used twice");
    assertThatThrownBy(() -> new SsdHeads(List.of(new PredictorSpec("c", "b", 4)), 0))
        .hasMessageContaining("positiveClasses");
  }

  @Test
  void classPriorStartsTheSoftmaxAtThePriorForObjectsTogether() {
    int objectClasses = 4;
    double prior = 0.01;
    SsdHeads heads = new SsdHeads(List.of(new PredictorSpec("c", "b", 3)), objectClasses);
    heads.setClassPrior(prior);
    try (NDManager manager = NDManager.newBaseManager()) {
      Shape s = new Shape(1, 2, 2, 3);
      heads.initialize(manager, DataType.FLOAT32, s);
      // Zero features: the logits are the biases alone.
      NDArray probs =
          heads
              .forward(new ParameterStore(manager, false), new NDList(manager.zeros(s)), false)
              .get(0)
              .softmax(2);
      float[] p = probs.toFloatArray();
      for (int row = 0; row < 2 * 3 * 3; row++) {
        int base = row * (objectClasses + 1);
        assertThat((double) p[base]).isCloseTo(1 - prior, within(1e-6));
        for (int k = 1; k <= objectClasses; k++) {
          assertThat((double) p[base + k]).isCloseTo(prior / objectClasses, within(1e-6));
        }
      }
      assertThatThrownBy(() -> heads.setClassPrior(prior))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("before initialising");
    }
    assertThatThrownBy(() -> heads.setClassPrior(1.0)).hasMessageContaining("(0, 1), got 1.0");
  }

  @Test
  void classPriorReachesTheOutputBiasOfSsdLitePredictors() {
    SsdHeads heads =
        new SsdHeads(
            List.of(new PredictorSpec("c", "b", 2)), 3, SsdLitePredictor.factory(new int[] {8}));
    heads.setClassPrior(0.1);
    try (NDManager manager = NDManager.newBaseManager()) {
      heads.initialize(manager, DataType.FLOAT32, new Shape(1, 8, 3, 3));
      Block pointwise = heads.getChildren().get("c").getChildren().get("pointwise");
      float[] bias = pointwise.getDirectParameters().get("bias").getArray().toFloatArray();
      float background = (float) Math.log(0.9 * 3 / 0.1);
      assertThat(bias).containsExactly(background, 0, 0, 0, background, 0, 0, 0);
      Block boxes = heads.getChildren().get("b").getChildren().get("pointwise");
      assertThat(boxes.getDirectParameters().get("bias").getArray().toFloatArray())
          .containsOnly(0f);
    }
  }
}
