package org.grievance.ssd.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.List;
import java.util.stream.IntStream;
import org.grievance.ssd.model.MobileNetV2Base;
import org.junit.jupiter.api.Test;

class FlopCounterTest {
  private static List<String> classes(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "c" + i).toList();
  }

  @Test
  void ssd7MacsEqualTheLayerByLayerFormula() {
    int h = 300;
    int w = 480;
    int classCount = 5;
    // The reference SSD7's convolutions conv1..conv7: filters and square kernel sizes.
    int[] filters = {32, 48, 64, 64, 48, 48, 32};
    int[] kernels = {5, 3, 3, 3, 3, 3, 3};
    long expected = 0;
    int inChannels = 3;
    int fh = h;
    int fw = w;
    for (int i = 0; i < filters.length; i++) {
      // 'same' convolution at the current size, then a 2x2 floor pool (after conv1..conv6)
      expected += (long) fh * fw * filters[i] * inChannels * kernels[i] * kernels[i];
      if (i >= 3) { // conv4..conv7 feed 3x3 heads: 4 boxes x (classes + 1) and 4 boxes x 4
        expected += (long) fh * fw * (4 * (classCount + 1) + 4 * 4) * filters[i] * 9;
      }
      inChannels = filters[i];
      fh /= 2;
      fw /= 2;
    }
    FlopCounter.Count count = FlopCounter.count(ModelDescription.ssd7(h, w, classes(classCount)));
    assertThat(count.macs()).isEqualTo(expected);
    assertThat(count.flops()).isEqualTo(2 * expected);
    assertThat(count.parameters())
        .as("SSD7's count, as in BatchNormFoldingTest")
        .isEqualTo(213_904);
  }

  @Test
  void mobileNetV2SsdLiteMacsEqualTheTorchDefinitionAndThePapersBackboneCost() throws Exception {
    JsonNode reference;
    try (InputStream in =
        getClass().getResourceAsStream("/mobilenet/mobilenetv2_ssdlite_reference.json")) {
      reference = new ObjectMapper().readTree(in);
    }
    for (JsonNode m : reference.get("models")) {
      double width = m.get("width").asDouble();
      String name = width == 1.0 ? MobileNetV2SsdLite.NAME : MobileNetV2SsdLite.NAME_HALF;
      ModelDescription d =
          SsdModels.architecture(name)
              .defaultDescription(300, 300, classes(m.get("classes").asInt()));
      assertThat(FlopCounter.count(d).macs())
          .as("%s, %s classes", name, m.get("classes"))
          .isEqualTo(m.get("macs_300x300").asLong());
      if (m.get("classes").asInt() == 5) {
        try (NDManager manager = NDManager.newBaseManager()) {
          MobileNetV2Base base = new MobileNetV2Base(width);
          base.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 224, 224));
          long backbone = 0;
          for (Pair<String, Block> child : base.getChildren()) {
            if (!child.getKey().startsWith("extra")) {
              backbone += FlopCounter.macs(child.getValue());
            }
          }
          assertThat(backbone).isEqualTo(m.get("backbone_macs_224x224").asLong());
          if (width == 1.0) {
            // The paper's Table 4: MobileNetV2 (1.0, 224x224) takes 300M multiply-adds, of which
            // the 1280x1000 classifier is 1.28M.
            assertThat((double) backbone).isCloseTo(300e6 - 1.28e6, withPercentage(1));
          }
        }
      }
    }
  }

  @Test
  void linearLayersAndBatchesCountPerImage() {
    try (NDManager manager = NDManager.newBaseManager()) {
      SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(10).build());
      block.initialize(manager, DataType.FLOAT32, new Shape(2, 7));
      assertThat(FlopCounter.macs(block)).isEqualTo(70);
    }
    assertThatThrownBy(() -> FlopCounter.macs(new SequentialBlock()))
        .hasMessageContaining("initialise");
  }
}
