package org.grievance.ssd.box;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.grievance.ssd.testing.Golden;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every case of {@code golden/iou.json} (see the golden README). */
class BoxesGoldenTest {
  private static final double ABS = 1e-9;
  private static final double REL = 1e-9;
  private static final JsonNode CASES = Golden.load("iou.json").get("cases");

  @TestFactory
  Stream<DynamicTest> convertCoordinates() {
    return cases("convert_coordinates")
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.get("name").asText(),
                    () -> {
                      JsonNode p = c.get("params");
                      String[] conv = p.get("conversion").asText().split("2");
                      JsonNode tensor = c.get("inputs").get("tensor");
                      int[] shape = Golden.shape(tensor);
                      double[] actual =
                          Boxes.convertInRows(
                              Golden.flat(tensor),
                              shape[shape.length - 1],
                              p.get("start_index").asInt(),
                              BoxFormat.parse(conv[0]),
                              BoxFormat.parse(conv[1]),
                              BorderPixels.parse(p.get("border_pixels").asText()));
                      assertThat(Golden.shape(c.get("expected"))).isEqualTo(shape);
                      assertClose(actual, Golden.flat(c.get("expected")));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> intersectionArea() {
    return cases("intersection_area")
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.get("name").asText(),
                    () -> {
                      JsonNode p = c.get("params");
                      assertThat(p.get("mode").asText()).isEqualTo("outer_product");
                      double[] actual =
                          Boxes.intersectionMatrix(
                              Golden.flat(c.get("inputs").get("boxes1")),
                              Golden.flat(c.get("inputs").get("boxes2")),
                              BoxFormat.parse(p.get("coords").asText()),
                              BorderPixels.parse(p.get("border_pixels").asText()));
                      assertClose(actual, Golden.flat(c.get("expected")));
                    }));
  }

  /** IoU with {@code border_pixels = half}: the reference value exactly. */
  @TestFactory
  Stream<DynamicTest> iouHalfMatchesReference() {
    return cases("iou")
        .filter(c -> border(c) == BorderPixels.HALF)
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.get("name").asText(),
                    () -> assertClose(iou(c), Golden.flat(c.get("expected")))));
  }

  /**
   * Quirk 1 (docs/reference-behaviour.md#quirk-1-iou-border): for {@code include}/{@code exclude}
   * the reference computes the intersection with d = 0. Boxes applies d to the intersection too, so
   * these cases are checked against the corrected formula, computed here independently; the golden
   * value is checked against the quirky formula to show which quirk separates the two.
   */
  @TestFactory
  Stream<DynamicTest> iouBorderQuirkCorrected() {
    return cases("iou")
        .filter(c -> border(c) != BorderPixels.HALF)
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.get("name").asText() + " [reference quirk 1, IoU border, corrected]",
                    () -> {
                      int d = border(c).delta();
                      BoxFormat f = BoxFormat.parse(c.get("params").get("coords").asText());
                      double[] a = Golden.flat(c.get("inputs").get("boxes1"));
                      double[] b = Golden.flat(c.get("inputs").get("boxes2"));
                      boolean outer = c.get("params").get("mode").asText().equals("outer_product");
                      assertClose(
                          pairwise(a, b, f, d, outer, false), Golden.flat(c.get("expected")));
                      assertClose(iou(c), pairwise(a, b, f, d, outer, true));
                    }));
  }

  @Test
  @DisplayName("reference quirk 1 corrected: include IoU of two offset squares is VOC's 36/206")
  void includeIouIsTheVocValue() {
    double[] a = {0, 0, 10, 10};
    double[] b = {5, 5, 15, 15};
    assertThat(Boxes.iouMatrix(a, b, BoxFormat.CORNERS, BorderPixels.INCLUDE)[0])
        .isCloseTo(36.0 / 206.0, org.assertj.core.data.Offset.offset(1e-15));
    assertThat(Boxes.iouMatrix(a, b, BoxFormat.CORNERS, BorderPixels.HALF)[0])
        .isCloseTo(25.0 / 175.0, org.assertj.core.data.Offset.offset(1e-15));
    assertThat(Boxes.iouMatrix(a, a, BoxFormat.CORNERS, BorderPixels.INCLUDE)[0]).isEqualTo(1.0);
  }

  @Test
  void convertInRowsRejectsASlotOutsideTheRow() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                Boxes.convertInRows(
                    new double[6], 6, 3, BoxFormat.CORNERS, BoxFormat.CENTROIDS, BorderPixels.HALF))
        .withMessageContaining("startIndex 3");
  }

  // ---------------------------------------------------------------------------------------------

  private static double[] iou(JsonNode c) {
    JsonNode p = c.get("params");
    BoxFormat f = BoxFormat.parse(p.get("coords").asText());
    double[] a = Golden.flat(c.get("inputs").get("boxes1"));
    double[] b = Golden.flat(c.get("inputs").get("boxes2"));
    return p.get("mode").asText().equals("outer_product")
        ? Boxes.iouMatrix(a, b, f, border(c))
        : Boxes.iouElementwise(a, b, f, border(c));
  }

  /**
   * IoU from the formula, written out here without Boxes: {@code corrected} applies d to the
   * intersection sides, otherwise d = 0 there (the reference).
   */
  private static double[] pairwise(
      double[] a, double[] b, BoxFormat f, int d, boolean outer, boolean corrected) {
    List<Double> out = new ArrayList<>();
    int m = a.length / 4;
    int n = b.length / 4;
    for (int i = 0; i < m; i++) {
      if (outer) {
        for (int j = 0; j < n; j++) {
          out.add(formulaIou(corners(a, i, f), corners(b, j, f), d, corrected));
        }
      } else {
        out.add(formulaIou(corners(a, i, f), corners(b, n == 1 ? 0 : i, f), d, corrected));
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double[] corners(double[] boxes, int i, BoxFormat f) {
    double a0 = boxes[4 * i];
    double a1 = boxes[4 * i + 1];
    double a2 = boxes[4 * i + 2];
    double a3 = boxes[4 * i + 3];
    return switch (f) {
      case CORNERS -> new double[] {a0, a1, a2, a3};
      case MINMAX -> new double[] {a0, a2, a1, a3};
      case CENTROIDS -> new double[] {a0 - a2 / 2, a1 - a3 / 2, a0 + a2 / 2, a1 + a3 / 2};
    };
  }

  private static double formulaIou(double[] p, double[] q, int d, boolean corrected) {
    int di = corrected ? d : 0;
    double sx = Math.max(0, Math.min(p[2], q[2]) - Math.max(p[0], q[0]) + di);
    double sy = Math.max(0, Math.min(p[3], q[3]) - Math.max(p[1], q[1]) + di);
    double inter = sx * sy;
    double union = (p[2] - p[0] + d) * (p[3] - p[1] + d) + (q[2] - q[0] + d) * (q[3] - q[1] + d);
    union -= inter;
    if (corrected && union <= 0) {
      return 0; // Boxes' documented answer for a non-positive union
    }
    return inter / union;
  }

  private static BorderPixels border(JsonNode c) {
    return BorderPixels.parse(c.get("params").get("border_pixels").asText());
  }

  private static Stream<JsonNode> cases(String function) {
    List<JsonNode> list = new ArrayList<>();
    CASES.forEach(
        c -> {
          if (c.get("function").asText().equals(function)) {
            list.add(c);
          }
        });
    assertThat(list).isNotEmpty();
    return list.stream();
  }

  private static void assertClose(double[] actual, double[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < actual.length; i++) {
      assertThat(Golden.close(actual[i], expected[i], ABS, REL))
          .as("entry %d: actual %s, expected %s", i, actual[i], expected[i])
          .isTrue();
    }
  }
}
