package org.grievance.ssd.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VggSsdTest {
  private static NDManager manager;

  @BeforeAll
  static void setUp() {
    Engine.getInstance().setRandomSeed(3);
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  private static List<String> classes(int n) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      names.add("c" + i);
    }
    return names;
  }

  /** {@link SsdModel#parameterCount()} after a cheap (all-zero) initialisation. */
  private static long parameterCount(SsdModel model, int side) {
    model.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
    try (NDManager sub = manager.newSubManager()) {
      model.initialize(sub, DataType.FLOAT32, new Shape(1, 3, side, side));
      return model.parameterCount();
    }
  }

  @Test
  void ssd300ParameterCountsMatchTheReference() {
    // docs/reference-behaviour.md#parameter-counts: VOC (20 classes) 26,285,486; COCO (80)
    // 34,305,206
    ModelDescription voc = ModelDescription.ssd300(classes(20), AnchorConfig.ssd300Voc());
    assertThat(parameterCount(SsdModels.build(voc), 300)).isEqualTo(26_285_486L);
    ModelDescription coco = ModelDescription.ssd300(classes(80), AnchorConfig.ssd300Coco());
    assertThat(parameterCount(SsdModels.build(coco), 300)).isEqualTo(34_305_206L);
  }

  @Test
  void ssd512ParameterCountsMatchTheReference() {
    ModelDescription voc = ModelDescription.ssd512(classes(20), AnchorConfig.ssd512Voc());
    assertThat(parameterCount(SsdModels.build(voc), 512)).isEqualTo(27_188_676L);
    ModelDescription coco = ModelDescription.ssd512(classes(80), AnchorConfig.ssd512Coco());
    assertThat(parameterCount(SsdModels.build(coco), 512)).isEqualTo(36_038_196L);
  }

  @Test
  void anchorCountsAre8732And24564() {
    ModelDescription d300 = ModelDescription.ssd300(classes(20), AnchorConfig.ssd300Voc());
    assertThat(d300.anchors().anchorCount()).isEqualTo(8732);
    assertThat(SsdModels.build(d300).anchorCount(300, 300)).isEqualTo(8732);
    ModelDescription d512 = ModelDescription.ssd512(classes(20), AnchorConfig.ssd512Voc());
    assertThat(d512.anchors().anchorCount()).isEqualTo(24564);
    assertThat(SsdModels.build(d512).anchorCount(512, 512)).isEqualTo(24564);
  }

  @Test
  void layerNamesAreThoseOfTheKerasModels() {
    SsdModel m = SsdModels.build(ModelDescription.ssd300(classes(20), AnchorConfig.ssd300Voc()));
    List<String> expected =
        new ArrayList<>(
            List.of(
                "conv1_1",
                "conv1_2",
                "conv2_1",
                "conv2_2",
                "conv3_1",
                "conv3_2",
                "conv3_3",
                "conv4_1",
                "conv4_2",
                "conv4_3",
                "conv5_1",
                "conv5_2",
                "conv5_3",
                "fc6",
                "fc7",
                "conv6_1",
                "conv6_2",
                "conv7_1",
                "conv7_2",
                "conv8_1",
                "conv8_2",
                "conv9_1",
                "conv9_2",
                "conv4_3_norm"));
    for (String src : List.of("conv4_3_norm", "fc7", "conv6_2", "conv7_2", "conv8_2", "conv9_2")) {
      expected.add(src + "_mbox_conf");
      expected.add(src + "_mbox_loc");
    }
    assertThat(m.layers().keySet()).containsExactlyElementsOf(expected);

    SsdModel m512 = SsdModels.build(ModelDescription.ssd512(classes(20), AnchorConfig.ssd512Voc()));
    assertThat(m512.layers().keySet())
        .contains("conv8_2", "conv10_1", "conv10_2", "conv10_2_mbox_conf", "conv10_2_mbox_loc");
  }

  @Test
  void featureMapsAndHeadChannelsAt300MatchTheReferenceTable() {
    SsdModel m = SsdModels.build(ModelDescription.ssd300(classes(20), AnchorConfig.ssd300Voc()));
    assertThat(m.featureMapShapes(300, 300))
        .containsExactly(
            new FeatureMapShape("conv4_3_norm", 512, 38, 38),
            new FeatureMapShape("fc7", 1024, 19, 19),
            new FeatureMapShape("conv6_2", 512, 10, 10),
            new FeatureMapShape("conv7_2", 256, 5, 5),
            new FeatureMapShape("conv8_2", 256, 3, 3),
            new FeatureMapShape("conv9_2", 256, 1, 1));
    SsdModel m512 = SsdModels.build(ModelDescription.ssd512(classes(20), AnchorConfig.ssd512Voc()));
    assertThat(m512.featureMapShapes(512, 512).stream().map(FeatureMapShape::height).toList())
        .containsExactly(64, 32, 16, 8, 4, 2, 1);
  }

  @Test
  void preprocessingSubtractsTheRgbMeanThenSwapsToBgr() {
    ModelDescription d = ModelDescription.ssd300(classes(3), AnchorConfig.ssd300Voc());
    try (NDManager sub = manager.newSubManager()) {
      NDArray pixel = sub.create(new float[] {200, 100, 50}, new Shape(1, 3, 1, 1));
      float[] out = d.preprocessing().apply(pixel).toFloatArray();
      // (200-123, 100-117, 50-104) in RGB, then reversed
      assertThat(out).containsExactly(-54f, -17f, 77f);
    }
  }

  /** One real forward pass at the reference size: shapes per head and the L2 norm's effect. */
  @Test
  void forwardAt300GivesOneRowPerAnchorAndNormalisesConv43() {
    ModelDescription d = ModelDescription.ssd300(classes(3), AnchorConfig.ssd300Voc());
    try (NDManager sub = manager.newSubManager()) {
      SsdModel m = SsdModels.create(sub, d);
      NDArray images = sub.randomUniform(0f, 255f, new Shape(1, 3, 300, 300));
      ParameterStore ps = new ParameterStore(sub, false);
      NDList out = m.forward(ps, new NDList(images), false);
      assertThat(out.get(0).getShape()).isEqualTo(new Shape(1, 8732, 4));
      assertThat(out.get(1).getShape()).isEqualTo(new Shape(1, 8732, 4));
      assertThat(out.get(0).isNaN().any().getBoolean()).isFalse();

      NDList features = m.base().forward(ps, new NDList(m.preprocessing().apply(images)), false);
      List<Shape> shapes = new ArrayList<>();
      for (NDArray f : features) {
        shapes.add(f.getShape());
      }
      assertThat(shapes)
          .containsExactly(
              new Shape(1, 512, 38, 38),
              new Shape(1, 1024, 19, 19),
              new Shape(1, 512, 10, 10),
              new Shape(1, 256, 5, 5),
              new Shape(1, 256, 3, 3),
              new Shape(1, 256, 1, 1));
      // gamma starts at 20, so every non-zero pixel vector of conv4_3_norm has length 20
      NDArray norms = features.get(0).square().sum(new int[] {1}).sqrt();
      float max = norms.max().getFloat();
      assertThat(max).isCloseTo(20f, within(1e-3f));
      Block norm = m.layer("conv4_3_norm");
      Parameter gamma = norm.getParameters().get("gamma");
      assertThat(gamma.getShape()).isEqualTo(new Shape(512));
      assertThat(gamma.getArray().toFloatArray()).containsOnly(20f);
      assertThat(m.layer("conv4_3_norm_mbox_conf").getParameters().get("weight").getShape())
          .isEqualTo(new Shape(16, 512, 3, 3));
      assertThat(m.layer("fc7_mbox_loc").getParameters().get("weight").getShape())
          .isEqualTo(new Shape(24, 1024, 3, 3));
      assertThat(m.layer("fc6").getParameters().get("weight").getShape())
          .isEqualTo(new Shape(1024, 512, 3, 3));
    }
  }

  @Test
  void nonSquareInputsFollowTheGeometry() {
    SsdModel m = SsdModels.build(ModelDescription.ssd300(classes(1), AnchorConfig.ssd300Voc()));
    Shape[] out = m.getOutputShapes(new Shape[] {new Shape(2, 3, 300, 400)});
    assertThat(out[0]).isEqualTo(new Shape(2, m.anchorCount(300, 400), 2));
    assertThat(m.anchorCount(300, 400)).isGreaterThan(8732);
  }

  @Test
  void descriptionsRoundTripThroughJson() {
    ModelDescription d = ModelDescription.ssd512(classes(2), AnchorConfig.ssd512Coco());
    ModelDescription back = ModelDescription.fromJson(d.toJson());
    assertThat(back).isEqualTo(d);
    assertThat(back.architecture()).isEqualTo("ssd512");
    assertThat(back.encoder().negIouLimit()).isEqualTo(0.5);
  }
}
