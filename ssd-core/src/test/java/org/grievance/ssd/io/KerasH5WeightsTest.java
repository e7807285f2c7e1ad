package org.grievance.ssd.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.grievance.ssd.testing.KerasFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KerasH5WeightsTest {
  @Test
  void readsAFullModelSaveFollowingWeightNamesAndIgnoringOptimizerWeights() throws IOException {
    KerasH5Weights w = KerasH5Weights.read(KerasFixtures.file("keras_full_model.h5"));
    assertThat(w.layout()).isEqualTo(KerasH5Weights.Layout.FULL_MODEL);
    assertThat(w.layerNames())
        .containsExactly(
            "input_1", "identity_layer", "conv1_1", "pool1", "conv4_3_norm", "dense_extra");
    assertThat(w.weightedLayerNames()).containsExactly("conv1_1", "conv4_3_norm", "dense_extra");
    assertThat(w.tensors("pool1")).isEmpty();
    assertThat(w.tensors("conv1_1"))
        .containsExactly(
            KerasFixtures.kernel("conv1_1", 3, 3, 3, 64), KerasFixtures.bias("conv1_1", 64));
    KerasTensor gamma = w.tensors("conv4_3_norm").get(0);
    assertThat(gamma.name()).isEqualTo("conv4_3_norm/conv4_3_norm_gamma:0");
    assertThat(gamma.values()).containsExactly(KerasFixtures.gamma("conv4_3_norm", 512).values());
    assertThat(w.tensors("dense_extra").get(0).shape()).containsExactly(4, 2);
    assertThat(w.hasLayer("training")).isFalse();
  }

  @Test
  void readsAConverterWrittenSaveWeightsFileWithOtherDatasetNames() throws IOException {
    KerasH5Weights w = KerasH5Weights.read(KerasFixtures.file("keras_save_weights.h5"));
    assertThat(w.layout()).isEqualTo(KerasH5Weights.Layout.WEIGHTS_ONLY);
    assertThat(w.layerNames()).containsExactly("conv1_1", "conv4_3_norm");
    // taken by position: weights_0:0 is the kernel, weights_1:0 the bias
    assertThat(w.tensors("conv1_1").get(0).name()).isEqualTo("conv1_1/weights_0:0");
    assertThat(w.tensors("conv1_1").get(0).values())
        .containsExactly(KerasFixtures.kernel("conv1_1", 3, 3, 3, 64).values());
    assertThat(w.tensors("conv1_1").get(1).values())
        .containsExactly(KerasFixtures.bias("conv1_1", 64).values());
    assertThat(w.tensors("conv4_3_norm").get(0).name()).isEqualTo("conv4_3_norm_gamma:0");
    assertThat(w.valueCount()).isEqualTo(3 * 3 * 3 * 64 + 64 + 512);
  }

  @Test
  void aFileWithoutLayerNamesIsNotAKerasWeightsFile() throws IOException {
    Path notKeras = KerasFixtures.file("ssd300_expected.h5");
    assertThatThrownBy(() -> KerasH5Weights.read(notKeras))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ssd300_expected.h5")
        .hasMessageContaining("layer_names");
  }

  @Test
  void missingAndNonHdfFilesAreReportedByName(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> KerasH5Weights.read(dir.resolve("nope.h5")))
        .isInstanceOf(NoSuchFileException.class);
    Path text = dir.resolve("text.h5");
    java.nio.file.Files.writeString(text, "not hdf5 at all, but long enough to have a header");
    assertThatThrownBy(() -> KerasH5Weights.read(text))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("text.h5");
  }
}
