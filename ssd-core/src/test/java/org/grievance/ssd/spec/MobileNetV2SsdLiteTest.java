package org.grievance.ssd.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.model.FeatureMapShape;
import org.grievance.ssd.model.MobileNetV2Base;
import org.grievance.ssd.model.SsdModel;
import org.grievance.ssd.testing.ModelTesting;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MobileNetV2-SSDLite against an independent PyTorch definition ({@code
 * tools/mobilenetv2_ssdlite_reference.py}, whose backbone count also equals torchvision's {@code
 * mobilenet_v2().features}, 2,223,872 parameters at width 1): parameter counts, feature-map shapes,
 * forward shapes and batch-norm folding.
 */
class MobileNetV2SsdLiteTest {
  /**
   * torchvision {@code mobilenet_v2()}: 3,504,872 parameters minus its 1280x1000+1000 classifier.
   */
  private static final long TORCHVISION_FEATURES_PARAMETERS = 3_504_872L - 1_281_000L;

  private static JsonNode reference;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in =
        MobileNetV2SsdLiteTest.class.getResourceAsStream(
            "/mobilenet/mobilenetv2_ssdlite_reference.json")) {
      reference = new ObjectMapper().readTree(in);
    }
  }

  private static List<String> classes(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "c" + i).toList();
  }

  private static String name(double width) {
    return width == 1.0 ? MobileNetV2SsdLite.NAME : MobileNetV2SsdLite.NAME_HALF;
  }

  /** Parameter values: [trainable, batch-norm running statistics]. */
  private static long[] count(Block block) {
    long trainable = 0;
    long running = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter.Type type = p.getValue().getType();
      long size = p.getValue().getShape().size();
      if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
        running += size;
      } else {
        trainable += size;
      }
    }
    return new long[] {trainable, running};
  }

  @Test
  void parameterCountsEqualTheIndependentTorchDefinition() {
    assertThat(reference.get("models")).hasSize(4);
    for (JsonNode m : reference.get("models")) {
      double width = m.get("width").asDouble();
      int classCount = m.get("classes").asInt();
      ModelDescription d =
          SsdModels.architecture(name(width)).defaultDescription(300, 300, classes(classCount));
      List<Integer> boxes = new ArrayList<>();
      m.get("boxes_per_cell").forEach(b -> boxes.add(b.asInt()));
      assertThat(d.boxesPerCell()).isEqualTo(boxes);
      try (NDManager manager = NDManager.newBaseManager()) {
        SsdModel model = SsdModels.create(manager, d);
        String what = "width " + width + ", " + classCount + " classes";
        long[] total = count(model);
        assertThat(total[0]).as(what + " trainable").isEqualTo(m.at("/total/trainable").asLong());
        assertThat(total[1]).as(what + " BN stats").isEqualTo(m.at("/total/bn_running").asLong());
        assertThat(model.parameterCount()).isEqualTo(total[0] + total[1]);
        long[] backbone = new long[2];
        for (Pair<String, Block> child : model.base().getChildren()) {
          if (!child.getKey().startsWith("extra")) {
            long[] c = count(child.getValue());
            backbone[0] += c[0];
            backbone[1] += c[1];
          }
        }
        assertThat(backbone[0])
            .as(what + " backbone")
            .isEqualTo(m.at("/backbone/trainable").asLong());
        assertThat(backbone[1]).isEqualTo(m.at("/backbone/bn_running").asLong());
        if (width == 1.0) {
          assertThat(backbone[0]).isEqualTo(TORCHVISION_FEATURES_PARAMETERS);
        }
      }
    }
  }

  @Test
  void featureMapsHaveTheReferenceShapesAtSeveralInputSizes() {
    for (JsonNode m : reference.get("models")) {
      MobileNetV2Base base = new MobileNetV2Base(m.get("width").asDouble());
      m.get("feature_maps")
          .properties()
          .forEach(
              e -> {
                String[] hw = e.getKey().split("x");
                List<FeatureMapShape> maps =
                    base.featureMapShapes(Integer.parseInt(hw[0]), Integer.parseInt(hw[1]));
                assertThat(maps).hasSize(6);
                for (int i = 0; i < maps.size(); i++) {
                  JsonNode chw = e.getValue().get(i);
                  assertThat(
                          List.of(
                              maps.get(i).channels(), maps.get(i).height(), maps.get(i).width()))
                      .as("width %s, %s, map %d", m.get("width"), e.getKey(), i)
                      .containsExactly(chw.get(0).asInt(), chw.get(1).asInt(), chw.get(2).asInt());
                }
              });
    }
    assertThat(new MobileNetV2Base(1.0).featureMapShapes(300, 300).get(0).name())
        .isEqualTo("block13_expand");
  }

  @Test
  void forwardPassProducesTheDeclaredMapsAndOneRowPerAnchor() {
    Engine.getInstance().setRandomSeed(2);
    ModelDescription d =
        SsdModels.architecture(MobileNetV2SsdLite.NAME_HALF)
            .defaultDescription(97, 131, classes(3));
    try (NDManager manager = NDManager.newBaseManager()) {
      SsdModel model = SsdModels.create(manager, d);
      NDArray images = manager.randomUniform(0f, 255f, new Shape(2, 3, 97, 131));
      ParameterStore ps = new ParameterStore(manager, false);
      NDList maps =
          model.base().forward(ps, new NDList(model.preprocessing().apply(images)), false);
      List<FeatureMapShape> declared = model.featureMapShapes(97, 131);
      for (int i = 0; i < declared.size(); i++) {
        FeatureMapShape s = declared.get(i);
        assertThat(maps.get(i).getShape())
            .isEqualTo(new Shape(2, s.channels(), s.height(), s.width()));
      }
      NDList out = ModelTesting.infer(model, images);
      int anchors = d.anchors().anchorCount();
      assertThat(out.get(0).getShape()).isEqualTo(new Shape(2, anchors, 4));
      assertThat(out.get(1).getShape()).isEqualTo(new Shape(2, anchors, 4));
      assertThat(model.anchorCount(97, 131)).isEqualTo(anchors);
      assertThat(out.get(0).isInfinite().any().getBoolean()).isFalse();
    }
  }

  @Test
  void foldedBaseEqualsTheEvalModeModel() {
    Engine.getInstance().setRandomSeed(4);
    ModelDescription d =
        SsdModels.architecture(MobileNetV2SsdLite.NAME_HALF)
            .defaultDescription(96, 128, classes(2));
    try (NDManager manager = NDManager.newBaseManager()) {
      SsdModel model = SsdModels.create(manager, d);
      ModelTesting.randomiseAllBatchNorms(model, manager);
      SsdModel folded = model.foldBatchNorm(manager);
      assertThat(((MobileNetV2Base) folded.base()).hasBatchNorm()).isFalse();
      assertThat(countBatchNorms(folded.base())).isZero();
      assertThat(countBatchNorms(model.base())).isEqualTo(52 + 3 * 4);
      NDArray images = manager.randomUniform(0f, 255f, new Shape(2, 3, 96, 128));
      NDList reference = ModelTesting.infer(model, images);
      NDList fast = ModelTesting.infer(folded, images);
      for (int i = 0; i < 2; i++) {
        float scale = reference.get(i).abs().max().getFloat();
        assertThat(ModelTesting.maxAbsDiff(fast.get(i), reference.get(i)))
            .as("output %d (max |value| %s)", i, scale)
            .isLessThan(1e-4f * Math.max(1f, scale));
      }
      SsdModel fresh = SsdModels.create(manager, d);
      assertThat(ModelTesting.maxAbsDiff(ModelTesting.infer(fresh, images).head(), fast.head()))
          .as("the randomised statistics matter")
          .isGreaterThan(1e-2f);
    }
  }

  @Test
  void anchorPresetAndValidation() {
    AnchorConfig a = MobileNetV2SsdLite.anchors(300, 300);
    assertThat(a.predictorSizes()).hasSize(6);
    assertThat(a.predictorSizes().get(0).cells()).isEqualTo(19 * 19);
    assertThat(a.anchorCount()).isEqualTo(19 * 19 * 4 + (10 * 10 + 5 * 5 + 3 * 3 + 2 * 2 + 1) * 6);
    assertThatThrownBy(() -> new MobileNetV2Base(0)).hasMessageContaining("widthMultiplier");
    assertThatThrownBy(() -> new MobileNetV2Base(1).featureMapShapes(31, 300))
        .hasMessageContaining("31x300 is too small");
  }

  private static int countBatchNorms(Block block) {
    int n = block instanceof BatchNorm ? 1 : 0;
    for (Pair<String, Block> child : block.getChildren()) {
      n += countBatchNorms(child.getValue());
    }
    return n;
  }
}
