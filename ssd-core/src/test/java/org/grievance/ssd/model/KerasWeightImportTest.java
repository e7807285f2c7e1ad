package org.grievance.ssd.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.io.KerasH5Weights;
import org.grievance.ssd.io.KerasTensor;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.testing.KerasFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KerasWeightImportTest {
  private static final List<String> TWO_CLASSES = List.of("a", "b");
  private static NDManager manager;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /** SSD300 with 2 classes, all weights zero (cheap; every test overwrites what it checks). */
  private static SsdModel zeroSsd300(NDManager m) {
    SsdModel model =
        SsdModels.build(ModelDescription.ssd300(TWO_CLASSES, AnchorConfig.ssd300Voc()));
    model.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
    model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 300, 300));
    return model;
  }

  @Test
  void kernelsAreTransposedFromHwioToOihw() {
    // (kh=1, kw=2, in=3, out=2): value = 1000*y + 100*x + 10*i + o at HWIO (y, x, i, o)
    float[] hwio = new float[12];
    int k = 0;
    for (int x = 0; x < 2; x++) {
      for (int i = 0; i < 3; i++) {
        for (int o = 0; o < 2; o++) {
          hwio[k++] = 100 * x + 10 * i + o;
        }
      }
    }
    float[] oihw = KerasWeightImport.hwioToOihw(hwio, 1, 2, 3, 2);
    int j = 0;
    for (int o = 0; o < 2; o++) {
      for (int i = 0; i < 3; i++) {
        for (int x = 0; x < 2; x++) {
          assertThat(oihw[j++]).isEqualTo(100 * x + 10 * i + o);
        }
      }
    }
  }

  @Test
  void partialLoadReportsLoadedSkippedAndMissingLayers() throws IOException {
    try (NDManager sub = manager.newSubManager()) {
      SsdModel model = zeroSsd300(sub);
      KerasH5Weights w = KerasH5Weights.read(KerasFixtures.file("keras_full_model.h5"));
      KerasWeightImport.Report report = KerasWeightImport.load(model, w);
      assertThat(report.loaded()).containsExactly("conv1_1", "conv4_3_norm");
      assertThat(report.skipped()).containsExactly("dense_extra");
      assertThat(report.missing()).hasSize(23 + 12 - 1).contains("conv1_2", "fc7_mbox_loc");
      assertThat(report.summary()).contains("loaded 2 layers", "skipped 1", "missing 34");

      Block conv = model.layer("conv1_1");
      float[] kernel = conv.getParameters().get("weight").getArray().toFloatArray();
      float[] hwio = KerasFixtures.kernel("conv1_1", 3, 3, 3, 64).values();
      // OIHW (o=5, i=2, y=1, x=0) is HWIO (1, 0, 2, 5)
      assertThat(kernel[((5 * 3 + 2) * 3 + 1) * 3]).isEqualTo(hwio[((1 * 3 + 0) * 3 + 2) * 64 + 5]);
      assertThat(conv.getParameters().get("bias").getArray().toFloatArray())
          .containsExactly(KerasFixtures.bias("conv1_1", 64).values());
      assertThat(model.layer("conv4_3_norm").getParameters().get("gamma").getArray().toFloatArray())
          .containsExactly(KerasFixtures.gamma("conv4_3_norm", 512).values());
    }
  }

  @Test
  void aShapeMismatchNamesTheLayerAndBothShapesAndLeavesTheModelUntouched() throws IOException {
    try (NDManager sub = manager.newSubManager()) {
      SsdModel model = zeroSsd300(sub);
      KerasH5Weights w = KerasH5Weights.read(KerasFixtures.file("keras_shape_mismatch.h5"));
      assertThatThrownBy(() -> KerasWeightImport.load(model, w))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("conv1_1")
          .hasMessageContaining("(3, 3, 3, 8)")
          .hasMessageContaining("(3, 3, 3, 64)");
      NDArray kernel = model.layer("conv1_1").getParameters().get("weight").getArray();
      assertThat(kernel.abs().sum().getFloat()).isZero();
    }
  }

  /** The seeded weights of the fixture script for every weighted layer of {@code model}. */
  static KerasH5Weights seededWeights(SsdModel model) {
    Map<String, List<KerasTensor>> layers = new LinkedHashMap<>();
    for (Map.Entry<String, Block> e : model.layers().entrySet()) {
      String name = e.getKey();
      Block block = e.getValue();
      if (block instanceof Convolution) {
        Shape s = block.getParameters().get("weight").getShape(); // (out, in, kh, kw)
        int out = (int) s.get(0);
        layers.put(
            name,
            List.of(
                KerasFixtures.kernel(name, (int) s.get(2), (int) s.get(3), (int) s.get(1), out),
                KerasFixtures.bias(name, out)));
      } else if (block instanceof L2Normalization norm) {
        layers.put(name, List.of(KerasFixtures.gamma(name, norm.channels())));
      }
    }
    return KerasH5Weights.of("seeded fixture weights", layers);
  }

  /**
   * Imported weights give the forward pass that the fixture script computed with its own PyTorch
   * SSD300 (float64) for the same seeded weights and input.
   */
  @Test
  void importedSsd300MatchesTheIndependentPyTorchReference() throws IOException {
    float[] expectedLogits;
    float[] expectedOffsets;
    try (HdfFile f = new HdfFile(KerasFixtures.file("ssd300_expected.h5"))) {
      expectedLogits = (float[]) f.getDatasetByPath("class_logits").getDataFlat();
      expectedOffsets = (float[]) f.getDatasetByPath("box_offsets").getDataFlat();
    }
    try (NDManager sub = manager.newSubManager()) {
      SsdModel model = zeroSsd300(sub);
      KerasWeightImport.Report report = KerasWeightImport.load(model, seededWeights(model));
      assertThat(report.missing()).isEmpty();
      assertThat(report.loaded()).hasSize(24 + 12);
      NDArray image = sub.create(KerasFixtures.image(300), new Shape(1, 3, 300, 300));
      NDList out = model.forward(new ParameterStore(sub, false), new NDList(image), false);
      float[] logits = out.get(0).toFloatArray();
      float[] offsets = out.get(1).toFloatArray();
      assertThat(logits).hasSize(8732 * 3);
      assertThat(offsets).hasSize(8732 * 4);
      assertClose("class logits", logits, expectedLogits);
      assertClose("box offsets", offsets, expectedOffsets);
    }
  }

  private static void assertClose(String what, float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    double worst = 0;
    int at = -1;
    for (int i = 0; i < actual.length; i++) {
      double err = Math.abs(actual[i] - expected[i]);
      if (err > worst) {
        worst = err;
        at = i;
      }
    }
    assertThat(worst)
        .as(
            "%s: largest difference at %d (%s vs %s)",
            what, at, at < 0 ? "" : actual[at], at < 0 ? "" : expected[at])
        .isLessThanOrEqualTo(1e-4);
  }
}
