package org.grievance.ssd.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.grievance.ssd.testing.ModelTesting;
import org.junit.jupiter.api.Test;

class ChannelsLastTest {
  @Test
  void keepsShapeAndValues() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.arange(0f, 2 * 3 * 4 * 5).reshape(2, 3, 4, 5);
      NDArray cl = ChannelsLast.apply(x);
      assertThat(cl.getShape()).isEqualTo(new Shape(2, 3, 4, 5));
      assertThat(cl.contentEquals(x)).isTrue();
      // Element (b=1, c=2, h=3, w=4) is still where NCHW indexing says.
      assertThat(cl.getFloat(1, 2, 3, 4)).isEqualTo(x.getFloat(1, 2, 3, 4));
    }
  }

  @Test
  void rejectsOtherRanks() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> ChannelsLast.apply(m.zeros(new Shape(3, 4, 5))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("(batch, channels, h, w)");
    }
  }

  /** The model runs channels-last; its output equals the plain-layout pass through the blocks. */
  @Test
  void inferenceEqualsThePlainLayoutForward() {
    Engine.getInstance().setRandomSeed(5);
    try (NDManager m = NDManager.newBaseManager()) {
      SsdModel model = Ssd7.create(m, Ssd7.Config.defaults(3), 64, 96);
      ModelTesting.randomiseBatchNorms(model, m);
      SsdModel folded = model.foldBatchNorm(m);
      NDArray images = m.randomUniform(0f, 255f, new Shape(2, 3, 64, 96));
      ParameterStore ps = new ParameterStore(m, false);
      NDList plain =
          folded
              .heads()
              .forward(
                  ps,
                  folded
                      .base()
                      .forward(ps, new NDList(folded.preprocessing().apply(images)), false),
                  false);
      NDList fast = folded.forward(ps, new NDList(images), false);
      for (int i = 0; i < 2; i++) {
        assertThat(fast.get(i).getShape()).isEqualTo(plain.get(i).getShape());
        // Other convolution algorithms sum in another order: equal up to float32 rounding.
        float scale = plain.get(i).abs().max().getFloat();
        assertThat(ModelTesting.maxAbsDiff(fast.get(i), plain.get(i)))
            .as("output %d (max |value| %f)", i, scale)
            .isLessThan(1e-5f * scale + 1e-5f);
      }
    }
  }
}
