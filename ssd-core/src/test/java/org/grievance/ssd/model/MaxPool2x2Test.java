package org.grievance.ssd.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.grievance.ssd.testing.ModelTesting;
import org.junit.jupiter.api.Test;

class MaxPool2x2Test {
  private static NDArray libtorchPool(NDArray x) {
    return Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
  }

  @Test
  void equalsLibTorchPoolingIncludingOddSidesWhichFloor() {
    try (NDManager m = NDManager.newBaseManager()) {
      for (Shape s :
          new Shape[] {new Shape(2, 3, 8, 10), new Shape(1, 4, 7, 9), new Shape(3, 2, 2, 5)}) {
        NDArray x = m.randomNormal(s);
        NDArray fast = MaxPool2x2.apply(x, false);
        assertThat(fast.getShape())
            .isEqualTo(new Shape(s.get(0), s.get(1), s.get(2) / 2, s.get(3) / 2));
        assertThat(fast.contentEquals(libtorchPool(x))).as("values for %s", s).isTrue();
      }
    }
  }

  @Test
  void picksTheWindowMaximumOfAKnownMap() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.arange(0f, 20f).reshape(1, 1, 4, 5).neg();
      // Windows (rows 0-1, cols 0-1), (0-1, 2-3), (2-3, 0-1), (2-3, 2-3); column 4 is dropped.
      assertThat(MaxPool2x2.apply(x, false).toFloatArray()).containsExactly(-0f, -2f, -10f, -12f);
    }
  }

  @Test
  void gradientGoesToTheWindowMaximumLikeLibTorchPooling() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(2, 3, 6, 7));
      NDArray weights = m.randomNormal(new Shape(2, 3, 3, 3));
      float[][] grads = new float[2][];
      for (int k = 0; k < 2; k++) {
        NDArray input = x.duplicate();
        input.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray pooled = k == 0 ? MaxPool2x2.apply(input, false) : libtorchPool(input);
          gc.backward(pooled.mul(weights).sum());
        }
        grads[k] = input.getGradient().toFloatArray();
      }
      assertThat(grads[0]).containsExactly(grads[1]);
    }
  }

  @Test
  void trainingFormGivesTheSameValuesAndGradients() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(2, 3, 7, 6));
      NDArray weights = m.randomNormal(new Shape(2, 3, 3, 3));
      float[][] grads = new float[2][];
      NDArray[] values = new NDArray[2];
      for (int k = 0; k < 2; k++) {
        NDArray input = x.duplicate();
        input.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray pooled = MaxPool2x2.apply(input, k == 0);
          values[k] = pooled.duplicate();
          gc.backward(pooled.mul(weights).sum());
        }
        grads[k] = input.getGradient().toFloatArray();
      }
      assertThat(values[0].contentEquals(values[1])).isTrue();
      assertThat(grads[0]).containsExactly(grads[1]);
    }
  }

  @Test
  void rejectsMapsItCannotPool() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> MaxPool2x2.apply(m.zeros(new Shape(3, 4, 4)), false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("(batch, channels, h, w)");
      assertThatThrownBy(() -> MaxPool2x2.apply(m.zeros(new Shape(1, 1, 1, 4)), false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least 2x2");
    }
  }

  /**
   * SSD7 pools before the ELU in its first three blocks: the same network as the reference's conv →
   * bn → elu → pool order, because ELU is increasing.
   */
  @Test
  void ssd7BaseEqualsTheReferenceBlockOrder() {
    Engine.getInstance().setRandomSeed(11);
    try (NDManager m = NDManager.newBaseManager()) {
      SsdModel model = Ssd7.create(m, Ssd7.Config.defaults(3), 64, 96);
      ModelTesting.randomiseBatchNorms(model, m);
      NDArray images = m.randomUniform(-1f, 1f, new Shape(2, 3, 64, 96));
      ParameterStore ps = new ParameterStore(m, false);
      NDList features = model.base().forward(ps, new NDList(images), true);

      NDArray x = images;
      NDList expected = new NDList();
      for (int i = 1; i <= 7; i++) {
        x = forward(model.layer("conv" + i), ps, x);
        x = forward(model.layer("bn" + i), ps, x);
        x = Activation.elu(x, 1f);
        if (i >= 4) {
          expected.add(x);
        }
        if (i < 7) {
          x = libtorchPool(x);
        }
      }
      assertThat(model.layer("bn1")).isInstanceOf(BatchNorm.class);
      assertThat(features).hasSize(4);
      for (int i = 0; i < 4; i++) {
        assertThat(ModelTesting.maxAbsDiff(features.get(i), expected.get(i)))
            .as("feature map %d", i)
            .isLessThan(1e-5f);
      }
    }
  }

  private static NDArray forward(Block block, ParameterStore ps, NDArray x) {
    return block.forward(ps, new NDList(x), true).singletonOrThrow();
  }
}
