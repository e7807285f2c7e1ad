package org.grievance.ssd.anchor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.grievance.ssd.testing.Golden;
import org.grievance.ssd.testing.GoldenConfigs;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every case of {@code golden/anchors.json}: layers, boxes and the encoding template. */
class AnchorsGoldenTest {
  private static final double ABS = 1e-9;
  private static final double REL = 1e-9;

  @TestFactory
  Stream<DynamicTest> anchorsMatchTheReference() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : Golden.load("anchors.json").get("cases")) {
      tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> check(c)));
    }
    assertThat(tests).hasSize(6);
    return tests.stream();
  }

  private static void check(JsonNode c) {
    AnchorConfig config = GoldenConfigs.anchorConfig(c.get("encoder"));
    Anchors anchors = AnchorGenerator.generate(config);
    JsonNode e = c.get("expected");
    assertClose("scales", doubles(config.scales()), Golden.flat(e.get("scales")));
    assertThat(anchors.count()).isEqualTo(e.get("n_boxes_total").asInt());
    assertThat(config.anchorCount()).isEqualTo(anchors.count());
    double[] boxes = anchors.boxes();
    assertThat(anchors.layers()).hasSize(e.get("layers").size());
    int expectedFirst = 0;
    for (int i = 0; i < anchors.layers().size(); i++) {
      AnchorLayer layer = anchors.layers().get(i);
      JsonNode l = e.get("layers").get(i);
      String at = "layer " + i + " ";
      assertThat(layer.index()).isEqualTo(i);
      assertThat(layer.featureMapSize())
          .isEqualTo(
              new FeatureMapSize(
                  l.get("feature_map_size").get(0).asInt(),
                  l.get("feature_map_size").get(1).asInt()));
      assertClose(
          at + "aspect ratios", doubles(layer.aspectRatios()), Golden.flat(l.get("aspect_ratios")));
      assertClose(
          at + "this_scale",
          new double[] {layer.thisScale()},
          new double[] {l.get("this_scale").asDouble()});
      assertClose(
          at + "next_scale",
          new double[] {layer.nextScale()},
          new double[] {l.get("next_scale").asDouble()});
      assertThat(layer.boxesPerCell()).isEqualTo(l.get("n_boxes").asInt());
      assertClose(at + "wh", layer.wh(), Golden.flat(l.get("wh_list")));
      assertClose(
          at + "step",
          new double[] {layer.step().h(), layer.step().w()},
          Golden.flat(l.get("step")));
      assertClose(
          at + "offset",
          new double[] {layer.offset().h(), layer.offset().w()},
          Golden.flat(l.get("offset")));
      assertClose(at + "cy", layer.cy(), Golden.flat(l.get("cy")));
      assertClose(at + "cx", layer.cx(), Golden.flat(l.get("cx")));
      assertThat(layer.firstAnchor()).isEqualTo(expectedFirst);
      double[] expectedBoxes = Golden.flat(l.get("boxes"));
      assertThat(layer.count() * 4).isEqualTo(expectedBoxes.length);
      double[] actual =
          java.util.Arrays.copyOfRange(
              boxes, 4 * layer.firstAnchor(), 4 * (layer.firstAnchor() + layer.count()));
      assertClose(at + "boxes", actual, expectedBoxes);
      expectedFirst += layer.count();
    }
    JsonNode template = e.get("template");
    if (template != null && !template.isNull()) {
      checkTemplate(anchors, template, c.get("encoder").get("n_classes").asInt());
    }
  }

  /** The template's rows: zero class scores, the anchor twice, then the variances. */
  private static void checkTemplate(Anchors anchors, JsonNode template, int nClasses) {
    int[] shape = Golden.shape(template);
    int n = anchors.count();
    int width = nClasses + 1 + 12;
    assertThat(shape).containsExactly(shape[0], n, width);
    double[] t = Golden.flat(template);
    double[] boxes = anchors.boxes();
    double[] v = anchors.variances();
    for (int b = 0; b < shape[0]; b++) {
      for (int a = 0; a < n; a++) {
        int row = (b * n + a) * width;
        for (int j = 0; j <= nClasses; j++) {
          assertThat(t[row + j]).isZero();
        }
        for (int j = 0; j < 4; j++) {
          double anchor = boxes[4 * a + j];
          assertThat(Golden.close(anchor, t[row + nClasses + 1 + j], ABS, REL)).isTrue();
          assertThat(Golden.close(anchor, t[row + nClasses + 5 + j], ABS, REL))
              .as("template anchor %d coordinate %d", a, j)
              .isTrue();
          assertThat(v[j]).isEqualTo(t[row + nClasses + 9 + j]);
        }
      }
    }
  }

  private static double[] doubles(List<Double> list) {
    return list.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void assertClose(String what, double[] actual, double[] expected) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < actual.length; i++) {
      assertThat(Golden.close(actual[i], expected[i], ABS, REL))
          .as("%s[%d]: actual %s, expected %s", what, i, actual[i], expected[i])
          .isTrue();
    }
  }
}
