package org.grievance.ssd.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.stream.IntStream;
import org.grievance.ssd.model.SsdModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClassSamplingTest {
  private static final int[] COCO_TO_TRAFFIC = {0, 3, 8, 1, 2, 10, 4, 6, 12};
  private static NDManager manager;

  @BeforeAll
  static void setUp() {
    Engine.getInstance().setRandomSeed(11);
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void conv43NormMboxConfIndicesAreThoseOfTheReferenceTutorial() {
    // docs/reference-behaviour.md#class-sub-sampling: 324 = 4 x 81 channels
    int[] expected = {
      0, 3, 8, 1, 2, 10, 4, 6, 12, 81, 84, 89, 82, 83, 91, 85, 87, 93, 162, 165, 170, 163, 164, 172,
      166, 168, 174, 243, 246, 251, 244, 245, 253, 247, 249, 255
    };
    assertThat(ClassSampling.channelIndices(324, 81, COCO_TO_TRAFFIC)).containsExactly(expected);
    int[] six = ClassSampling.channelIndices(486, 81, COCO_TO_TRAFFIC);
    assertThat(six).hasSize(54);
    assertThat(six[45]).isEqualTo(405);
    assertThat(six[53]).isEqualTo(417);
  }

  @Test
  void badClassListsAreRejectedWithTheEntry() {
    assertThatThrownBy(() -> ClassSampling.channelIndices(324, 81, new int[] {3, 0}))
        .hasMessageContaining("start with the background class 0");
    assertThatThrownBy(() -> ClassSampling.channelIndices(324, 81, new int[] {0, 81}))
        .hasMessageContaining("classes[1] = 81");
    assertThatThrownBy(() -> ClassSampling.channelIndices(324, 81, new int[] {0, 2, 2}))
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> ClassSampling.channelIndices(100, 81, new int[] {0, 1}))
        .hasMessageContaining("100 channels");
    assertThatThrownBy(() -> ClassSampling.parse("0,car")).hasMessageContaining("'car'");
    assertThat(ClassSampling.parse("0, 3,new")).containsExactly(0, 3, ClassSampling.NEW);
  }

  private static NDList forward(SsdModel m, NDArray images) {
    return m.forward(new ParameterStore(manager, false), new NDList(images), false);
  }

  @Test
  void resamplingDropsCalibratedThresholds() {
    ModelDescription old =
        ModelDescription.ssd7(64, 96, List.of("a", "b", "c"))
            .withClassThresholds(
                java.util.Map.of("a", 0.3, "c", 0.8),
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
    ModelDescription target = ClassSampling.describe(old, new int[] {0, 3, 1}, List.of("c", "a"));
    assertThat(target.decoder().classThresholds()).isEmpty();
    assertThat(target.provenance().has(ModelDescription.CALIBRATION)).isFalse();
  }

  @Test
  void subsampledModelPredictsTheKeptClassesExactlyAsBefore() {
    ModelDescription old = ModelDescription.ssd7(64, 96, List.of("a", "b", "c", "d", "e"));
    try (NDManager sub = manager.newSubManager()) {
      SsdModel source = SsdModels.create(sub, old);
      int[] keep = {0, 4, 1};
      ModelDescription target = ClassSampling.describe(old, keep, List.of("d", "a"));
      assertThat(target.classNames()).containsExactly("d", "a");
      assertThat(target.encoder().nClasses()).isEqualTo(2);
      SsdModel sampled = ClassSampling.resample(source, target, keep, sub, 1);
      NDArray images = sub.randomUniform(0f, 255f, new Shape(1, 3, 64, 96));
      NDArray before = forward(source, images).get(0);
      NDList after = forward(sampled, images);
      assertThat(after.get(0).getShape()).isEqualTo(new Shape(1, before.getShape().get(1), 3));
      for (int j = 0; j < keep.length; j++) {
        float[] want = before.get(":, :, " + keep[j]).toFloatArray();
        float[] got = after.get(0).get(":, :, " + j).toFloatArray();
        assertThat(got).containsExactly(want);
      }
      assertThat(after.get(1).toFloatArray())
          .containsExactly(forward(source, images).get(1).toFloatArray());
    }
  }

  @Test
  void upsamplingAddsFreshChannelsForNewClasses() {
    ModelDescription old = ModelDescription.ssd7(64, 96, List.of("a", "b"));
    try (NDManager sub = manager.newSubManager()) {
      SsdModel source = SsdModels.create(sub, old);
      int[] classes = {0, 2, ClassSampling.NEW, 1, ClassSampling.NEW};
      ModelDescription target = ClassSampling.describe(old, classes, List.of("b", "x", "a", "y"));
      SsdModel up = ClassSampling.resample(source, target, classes, sub, 5);
      // classes4: 4 boxes x 5 classes; new class channels 2 and 4 of every group
      float[] kernel = up.layer("classes4").getParameters().get("weight").getArray().toFloatArray();
      float[] oldKernel =
          source.layer("classes4").getParameters().get("weight").getArray().toFloatArray();
      float[] bias = up.layer("classes4").getParameters().get("bias").getArray().toFloatArray();
      int row = 64 * 3 * 3;
      double sumSq = 0;
      int n = 0;
      for (int b = 0; b < 4; b++) {
        for (int j : new int[] {2, 4}) {
          int r = b * 5 + j;
          assertThat(bias[r]).isZero();
          for (int i = 0; i < row; i++) {
            sumSq += kernel[r * row + i] * kernel[r * row + i];
            n++;
          }
        }
        // kept class 2 (old index 2) at new position 1
        int r = b * 5 + 1;
        int oldRow = b * 3 + 2;
        assertThat(java.util.Arrays.copyOfRange(kernel, r * row, r * row + row))
            .containsExactly(
                java.util.Arrays.copyOfRange(oldKernel, oldRow * row, oldRow * row + row));
      }
      assertThat(Math.sqrt(sumSq / n)).isCloseTo(ClassSampling.FRESH_STDDEV, within(0.0005));
      assertThat(up.layer("boxes4").getParameters().get("weight").getArray().toFloatArray())
          .containsExactly(
              source.layer("boxes4").getParameters().get("weight").getArray().toFloatArray());
      assertThat(IntStream.of(ClassSampling.channelIndices(15, 3, classes)).filter(i -> i < 0))
          .hasSize(10); // 5 boxes x 2 new classes
    }
  }
}
