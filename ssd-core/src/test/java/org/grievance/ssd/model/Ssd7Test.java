package org.grievance.ssd.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Ssd7Test {
  private static NDManager manager;
  private static SsdModel model;

  @BeforeAll
  static void createModel() {
    Engine.getInstance().setRandomSeed(7);
    manager = NDManager.newBaseManager();
    model = Ssd7.create(manager, Ssd7.Config.defaults(5), 300, 480);
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void featureMapsAt300x480MatchTheReferenceTable() {
    assertThat(model.featureMapShapes(300, 480))
        .containsExactly(
            new FeatureMapShape("conv4", 64, 37, 60),
            new FeatureMapShape("conv5", 48, 18, 30),
            new FeatureMapShape("conv6", 48, 9, 15),
            new FeatureMapShape("conv7", 32, 4, 7));
    assertThat(model.anchorCount(300, 480)).isEqualTo(11_692);
  }

  @Test
  void forwardAt300x480GivesLogitsAndOffsetsPerAnchor() {
    try (NDManager sub = manager.newSubManager()) {
      NDArray images = sub.randomUniform(0f, 255f, new Shape(2, 3, 300, 480));
      NDList out = model.forward(new ParameterStore(sub, false), new NDList(images), false);
      assertThat(out).hasSize(2);
      assertThat(out.get(0).getShape()).isEqualTo(new Shape(2, 11_692, 6));
      assertThat(out.get(1).getShape()).isEqualTo(new Shape(2, 11_692, 4));
      assertThat(out.get(0).isInfinite().any().getBoolean()).isFalse();
      assertThat(out.get(0).isNaN().any().getBoolean()).isFalse();
      assertThat(model.getOutputShapes(new Shape[] {images.getShape()}))
          .containsExactly(new Shape(2, 11_692, 6), new Shape(2, 11_692, 4));
    }
  }

  @Test
  void fullyConvolutionalAtAnotherSizeWithFloorPooling() {
    // 131 -> 65 -> 32 -> 16 | 16 -> 8 -> 4 -> 2 ; 97 -> 48 -> 24 -> 12 | 12 -> 6 -> 3 -> 1
    assertThat(model.featureMapShapes(131, 97))
        .extracting(m -> m.height() + "x" + m.width())
        .containsExactly("16x12", "8x6", "4x3", "2x1");
    int expected = (16 * 12 + 8 * 6 + 4 * 3 + 2) * 4;
    assertThat(model.anchorCount(131, 97)).isEqualTo(expected);
    try (NDManager sub = manager.newSubManager()) {
      NDArray images = sub.randomUniform(0f, 255f, new Shape(1, 3, 131, 97));
      NDList out = model.forward(new ParameterStore(sub, false), new NDList(images), false);
      assertThat(out.get(0).getShape()).isEqualTo(new Shape(1, expected, 6));
      assertThat(out.get(1).getShape()).isEqualTo(new Shape(1, expected, 4));
    }
  }

  @Test
  void rejectsInputsTooSmallForConv7() {
    assertThatThrownBy(() -> model.featureMapShapes(63, 480))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("63x480")
        .hasMessageContaining("conv7");
    assertThatThrownBy(() -> Ssd7.create(manager, Ssd7.Config.defaults(5), 300, 40))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("300x40");
  }

  @Test
  void rejectsBadInputTensors() {
    try (NDManager sub = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(sub, false);
      NDArray oneChannel = sub.zeros(new Shape(1, 1, 300, 480));
      assertThatThrownBy(() -> model.forward(ps, new NDList(oneChannel), false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("(1, 1, 300, 480)");
      NDArray bytes = sub.zeros(new Shape(1, 3, 300, 480), DataType.UINT8);
      assertThatThrownBy(() -> model.forward(ps, new NDList(bytes), false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("FLOAT32");
    }
  }

  @Test
  void parameterCountMatchesTheReference() {
    assertThat(model.parameterCount()).isEqualTo(213_904);
    long bn = 0;
    long moving = 0;
    for (Parameter p : model.getParameters().values()) {
      switch (p.getType()) {
        case GAMMA, BETA -> bn += p.getShape().size();
        case RUNNING_MEAN, RUNNING_VAR -> {
          bn += p.getShape().size();
          moving += p.getShape().size();
          assertThat(p.requiresGradient()).isFalse();
        }
        default -> {}
      }
    }
    assertThat(bn).isEqualTo(1_344);
    assertThat(moving).isEqualTo(672);
  }

  @Test
  void layersCarryTheReferenceNames() {
    List<String> expected =
        IntStream.rangeClosed(1, 7)
            .boxed()
            .flatMap(i -> List.of("conv" + i, "bn" + i).stream())
            .collect(Collectors.toList());
    for (int i = 4; i <= 7; i++) {
      expected.add("classes" + i);
      expected.add("boxes" + i);
    }
    assertThat(model.layers().keySet()).containsExactlyElementsOf(expected);
    assertThat(model.layer("conv1")).isInstanceOf(Conv2d.class);
    assertThat(model.layer("bn7")).isInstanceOf(BatchNorm.class);
    assertThat(model.getParameters().keys())
        .contains("base_conv1_weight", "base_bn1_gamma", "heads_classes4_weight");
    assertThatThrownBy(() -> model.layer("conv8"))
        .hasMessageContaining("conv8")
        .hasMessageContaining("boxes7");
  }

  @Test
  void headAndBaseLayersHaveTheReferenceFiltersAndKernels() {
    int[] filters = {32, 48, 64, 64, 48, 48, 32};
    for (int i = 1; i <= 7; i++) {
      Conv2d conv = (Conv2d) model.layer("conv" + i);
      int k = i == 1 ? 5 : 3;
      assertThat(conv.getFilters()).as("conv%d filters", i).isEqualTo(filters[i - 1]);
      assertThat(conv.getKernelShape()).isEqualTo(new Shape(k, k));
      assertThat(conv.isIncludeBias()).as("reference keeps conv bias before BN").isTrue();
    }
    for (int i = 4; i <= 7; i++) {
      assertThat(((Conv2d) model.layer("classes" + i)).getFilters()).isEqualTo(24);
      assertThat(((Conv2d) model.layer("boxes" + i)).getFilters()).isEqualTo(16);
    }
  }

  @Test
  void boxesPerCellAndClassesComeFromTheConfig() {
    Ssd7.Config config = new Ssd7.Config(2, new int[] {3, 4, 5, 6}, InputPreprocessing.none());
    try (NDManager sub = manager.newSubManager()) {
      SsdModel m = Ssd7.create(sub, config, 300, 480);
      assertThat(((Conv2d) m.layer("classes6")).getFilters()).isEqualTo(5 * 3);
      assertThat(((Conv2d) m.layer("boxes7")).getFilters()).isEqualTo(6 * 4);
      assertThat(m.anchorCount(300, 480)).isEqualTo(2220 * 3 + 540 * 4 + 135 * 5 + 28 * 6);
    }
  }

  @Test
  void configValidationNamesTheField() {
    assertThatThrownBy(() -> Ssd7.Config.defaults(0)).hasMessageContaining("positiveClasses");
    assertThatThrownBy(() -> new Ssd7.Config(5, new int[] {4, 4, 4}, InputPreprocessing.none()))
        .hasMessageContaining("boxesPerCell")
        .hasMessageContaining("[4, 4, 4]");
    assertThatThrownBy(() -> new Ssd7.Config(5, new int[] {4, 0, 4, 4}, InputPreprocessing.none()))
        .hasMessageContaining("boxesPerCell[1]");
  }

  @Test
  void kernelsAreHeNormalAndBiasesZero() {
    Conv2d conv2 = (Conv2d) model.layer("conv2");
    float[] w = conv2.getDirectParameters().get("weight").getArray().toFloatArray();
    double fanIn = 32 * 3 * 3;
    double mean = 0;
    double sq = 0;
    double max = 0;
    for (float v : w) {
      mean += v;
      sq += (double) v * v;
      max = Math.max(max, Math.abs(v));
    }
    mean /= w.length;
    double std = Math.sqrt(sq / w.length - mean * mean);
    double target = Math.sqrt(2 / fanIn);
    // 13,824 samples: the sample deviation is within a few percent of the target.
    assertThat(std).isBetween(target * 0.95, target * 1.05);
    assertThat(Math.abs(mean)).isLessThan(target * 0.05);
    assertThat(max)
        .as("truncated at two pre-truncation deviations")
        .isLessThanOrEqualTo(2 * target / 0.87962566103423978 + 1e-6);
    assertThat(conv2.getDirectParameters().get("bias").getArray().abs().max().getFloat()).isZero();
  }
}
