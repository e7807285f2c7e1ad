package org.grievance.ssd.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InputPreprocessingTest {
  /** One pixel per image, channels R, G, B. */
  private static float[] apply(InputPreprocessing p, float... rgb) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray in = manager.create(rgb, new Shape(1, 3, 1, 1));
      return p.apply(in).toFloatArray();
    }
  }

  @Test
  @DisplayName("SSD300 order: the RGB mean is subtracted before the RGB->BGR swap")
  void meanBeforeSwap() {
    InputPreprocessing ssd300 =
        InputPreprocessing.none().withSubtractMean(123f, 117f, 104f).withSwapChannels(2, 1, 0);
    // mean first: (130-123, 120-117, 110-104) = (7, 3, 6), then BGR -> (6, 3, 7).
    // (Swapping first would give (110-123, 120-117, 130-104) = (-13, 3, 26).)
    assertThat(apply(ssd300, 130f, 120f, 110f)).containsExactly(6f, 3f, 7f);
  }

  @Test
  void stddevAfterMeanAndScalarsBroadcast() {
    InputPreprocessing p = InputPreprocessing.of(new float[] {10f}, new float[] {2f, 4f, 5f}, null);
    assertThat(apply(p, 20f, 30f, 60f)).containsExactly(5f, 5f, 10f);
  }

  @Test
  void noneIsTheIdentity() {
    assertThat(InputPreprocessing.none().isIdentity()).isTrue();
    assertThat(apply(InputPreprocessing.none(), 1f, 2f, 3f)).containsExactly(1f, 2f, 3f);
  }

  @Test
  void modelAppliesItsPreprocessing() {
    try (NDManager manager = NDManager.newBaseManager()) {
      InputPreprocessing p =
          InputPreprocessing.none().withSubtractMean(100f, 50f, 0f).withSwapChannels(1, 2, 0);
      SsdModel plain = Ssd7.create(manager, Ssd7.Config.defaults(1), 64, 64);
      SsdModel withPre =
          new SsdModel(p, plain.base(), plain.heads()); // shares all weights with plain
      NDArray images = manager.randomUniform(0f, 255f, new Shape(1, 3, 64, 64));
      ParameterStore store = new ParameterStore(manager, false);
      NDArray expected = plain.forward(store, new NDList(p.apply(images)), false).head();
      NDArray actual = withPre.forward(store, new NDList(images), false).head();
      assertThat(actual.allClose(expected, 0, 0, false)).isTrue();
    }
  }

  @Test
  void validationNamesTheField() {
    assertThatThrownBy(() -> InputPreprocessing.none().withSubtractMean(1f, 2f))
        .hasMessageContaining("subtractMean")
        .hasMessageContaining("1 or 3");
    assertThatThrownBy(() -> InputPreprocessing.none().withDivideByStddev(1f, 0f, 1f))
        .hasMessageContaining("divideByStddev[1]");
    assertThatThrownBy(() -> InputPreprocessing.none().withSwapChannels(0, 0, 1))
        .hasMessageContaining("swapChannels")
        .hasMessageContaining("[0, 0, 1]");
    assertThatThrownBy(() -> InputPreprocessing.none().withSwapChannels(2, 1, 0, 3))
        .hasMessageContaining("permutation");
  }

  @Test
  void arraysAreCopied() {
    float[] mean = {1f, 2f, 3f};
    InputPreprocessing p = InputPreprocessing.none().withSubtractMean(mean);
    mean[0] = 99f;
    p.subtractMean()[1] = 99f;
    assertThat(p.subtractMean()).containsExactly(1f, 2f, 3f);
  }
}
