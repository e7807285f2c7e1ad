package org.grievance.ssd.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grievance.ssd.testing.Golden.close;
import static org.grievance.ssd.testing.Golden.flat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.BoxFormat;
import org.grievance.ssd.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every run of every group and every NMS case of golden/decode.json.
 *
 * <p>Row order, as the golden README says: a truncated top-k has no order in the reference
 * (argpartition), so those runs compare as multisets. Otherwise the reference's order is
 * significant, but our decoders sort by score (stable) while the reference keeps "class, then NMS
 * pick order" (per-class decoder) or anchor order (fast decoder without NMS): so the expected rows
 * are stable-sorted by score first, which is exactly the order a faithful decoder followed by our
 * stable sort yields.
 *
 * <p>The run with {@code border_pixels = 'include'} (and the include/exclude NMS cases) differ
 * through the reference's IoU quirk (docs/reference-behaviour.md#quirk-1-iou-border: intersection
 * without the border delta), which we correct: there the expected rows come from an independent
 * naive oracle with the corrected IoU, after checking that the same oracle with the quirky IoU
 * reproduces the golden rows.
 */
class DecodeGoldenTest {
  private static final double ABS = 1e-6;
  private static final double REL = 1e-9;
  private static final JsonNode GOLDEN = Golden.load("decode.json");

  @TestFactory
  Stream<DynamicTest> everyRunOfEveryGroup() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode group : GOLDEN.get("groups")) {
      Group g = Group.of(group);
      int r = 0;
      for (JsonNode run : group.get("runs")) {
        String name = group.get("name").asText() + " run " + r++ + " " + run.get("params");
        if (run.get("params").has("border_pixels")
            && !run.get("params").get("border_pixels").asText().equals("half")) {
          name += " (reference quirk 1 corrected)";
        }
        tests.add(dynamicTest(name, () -> checkRun(g, run)));
      }
    }
    assertThat(tests).hasSize(14);
    return tests.stream();
  }

  private static void checkRun(Group g, JsonNode run) {
    JsonNode p = run.get("params");
    String function = p.get("function").asText();
    double confidence = p.get("confidence_thresh").asDouble();
    double iou = p.get("iou_threshold").isNull() ? 0 : p.get("iou_threshold").asDouble();
    int topK = p.get("top_k").isTextual() ? DecoderConfig.TOP_K_ALL : p.get("top_k").asInt();
    String coords = p.get("input_coords").asText();
    boolean normalize = p.get("normalize_coords").asBoolean();
    BorderPixels border =
        p.has("border_pixels")
            ? BorderPixels.parse(p.get("border_pixels").asText())
            : BorderPixels.HALF;
    int height = normalize ? p.get("img_height").asInt() : g.height;
    int width = normalize ? p.get("img_width").asInt() : g.width;
    DecoderConfig config =
        DecoderConfig.builder()
            .confidenceThreshold(confidence)
            .iouThreshold(iou)
            .topK(topK)
            .coords(BoxFormat.parse(coords))
            .normalizeCoords(normalize)
            .borderPixels(border)
            .build();
    boolean fast = function.equals("decode_detections_fast");
    DetectionDecoder decoder =
        fast
            ? new GlobalNmsDecoder(g.anchors, g.variances, config)
            : new PerClassNmsDecoder(g.anchors, g.variances, config);
    double sx = normalize ? width : 1;
    double sy = normalize ? height : 1;
    JsonNode expected = run.get("expected");
    for (int b = 0; b < g.scores.size(); b++) {
      List<double[]> golden = rows(expected.get("detections").get(b));
      boolean truncated = expected.get("top_k_truncated").get(b).asBoolean();
      double[] scores = g.scores.get(b);
      double[] offsets = g.offsets.get(b);

      // The oracle with the reference's IoU must reproduce the golden rows.
      List<double[]> oracleQuirk =
          oracle(
              fast,
              scores,
              offsets,
              g,
              coords,
              sx,
              sy,
              confidence,
              iou,
              border,
              ReferenceOracle.QUIRK_IOU);
      assertThat(oracleQuirk.size() > topK).as("item %d truncated", b).isEqualTo(truncated);
      assertSame(topKOf(oracleQuirk, topK), golden, truncated, "oracle vs golden, item " + b);

      List<double[]> want = golden;
      if (border != BorderPixels.HALF) {
        // Reference quirk 1 corrected: expectation from the oracle with the corrected IoU.
        want =
            topKOf(
                oracle(
                    fast,
                    scores,
                    offsets,
                    g,
                    coords,
                    sx,
                    sy,
                    confidence,
                    iou,
                    border,
                    ReferenceOracle.CORRECTED_IOU),
                topK);
      }
      List<Detection> actual = decoder.decode(scores, offsets, height, width);
      assertSame(toRows(actual), want, truncated, "decoder, item " + b);
      assertSorted(actual);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyNmsCase() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : GOLDEN.get("nms_cases")) {
      String name = c.get("name").asText();
      if (!c.get("params").get("border_pixels").asText().equals("half")) {
        name += " (reference quirk 1 corrected)";
      }
      tests.add(dynamicTest(name, () -> checkNmsCase(c)));
    }
    assertThat(tests).hasSize(4);
    return tests.stream();
  }

  private static void checkNmsCase(JsonNode c) {
    JsonNode p = c.get("params");
    double threshold = p.get("iou_threshold").asDouble();
    BoxFormat format = BoxFormat.parse(p.get("coords").asText());
    BorderPixels border = BorderPixels.parse(p.get("border_pixels").asText());
    JsonNode items = c.get("inputs").get("y_pred_decoded");
    for (int b = 0; b < items.size(); b++) {
      List<double[]> input = rows(items.get(b));
      List<double[]> golden = rows(c.get("expected").get(b));
      double[] boxes = new double[4 * input.size()];
      double[] scores = new double[input.size()];
      List<double[]> cornerRows = new ArrayList<>();
      for (int i = 0; i < input.size(); i++) {
        double[] r = input.get(i);
        System.arraycopy(r, 2, boxes, 4 * i, 4);
        scores[i] = r[1];
        double[] corners = toCorners(format, r[2], r[3], r[4], r[5]);
        cornerRows.add(new double[] {i, r[1], corners[0], corners[1], corners[2], corners[3]});
      }
      int[] picked = GreedyNms.select(boxes, format, scores, threshold, border);
      List<double[]> actual = new ArrayList<>();
      for (int i : picked) {
        actual.add(input.get(i));
      }
      // The oracle (rows carry their input index in column 0) with the quirky IoU gives the golden.
      List<double[]> quirk =
          ReferenceOracle.nms(cornerRows, threshold, border.delta(), ReferenceOracle.QUIRK_IOU);
      assertSameInOrder(pick(input, quirk), golden, "oracle vs golden, item " + b);
      List<double[]> want = golden;
      if (border != BorderPixels.HALF) {
        // Reference quirk 1 corrected.
        want =
            pick(
                input,
                ReferenceOracle.nms(
                    cornerRows, threshold, border.delta(), ReferenceOracle.CORRECTED_IOU));
      }
      assertSameInOrder(actual, want, "GreedyNms, item " + b);
    }
  }

  private static List<double[]> pick(List<double[]> input, List<double[]> indexedRows) {
    List<double[]> out = new ArrayList<>();
    for (double[] r : indexedRows) {
      out.add(input.get((int) r[0]));
    }
    return out;
  }

  private static double[] toCorners(BoxFormat format, double a0, double a1, double a2, double a3) {
    return switch (format) {
      case CORNERS -> new double[] {a0, a1, a2, a3};
      case MINMAX -> new double[] {a0, a2, a1, a3};
      case CENTROIDS -> new double[] {a0 - a2 / 2, a1 - a3 / 2, a0 + a2 / 2, a1 + a3 / 2};
    };
  }

  private static List<double[]> oracle(
      boolean fast,
      double[] scores,
      double[] offsets,
      Group g,
      String coords,
      double sx,
      double sy,
      double confidence,
      double iou,
      BorderPixels border,
      ReferenceOracle.Iou iouFn) {
    return fast
        ? ReferenceOracle.decodeDetectionsFast(
            scores,
            offsets,
            g.anchors,
            g.variances,
            coords,
            sx,
            sy,
            confidence,
            iou,
            border.delta(),
            iouFn)
        : ReferenceOracle.decodeDetections(
            scores,
            offsets,
            g.anchors,
            g.variances,
            coords,
            sx,
            sy,
            confidence,
            iou,
            border.delta(),
            iouFn);
  }

  /** The top-k rows by score (order unspecified, as the reference), or all rows in their order. */
  static List<double[]> topKOf(List<double[]> rows, int topK) {
    if (rows.size() <= topK) {
      return rows;
    }
    List<double[]> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingDouble((double[] r) -> r[1]).reversed());
    return sorted.subList(0, topK);
  }

  /** Multiset comparison when truncated, else order after a stable score sort (class comment). */
  static void assertSame(
      List<double[]> actual, List<double[]> expected, boolean truncated, String what) {
    Comparator<double[]> byScore = Comparator.comparingDouble((double[] r) -> r[1]).reversed();
    Comparator<double[]> order =
        truncated
            ? byScore
                .thenComparingDouble(r -> r[0])
                .thenComparingDouble(r -> r[2])
                .thenComparingDouble(r -> r[3])
            : byScore;
    List<double[]> a = new ArrayList<>(actual);
    List<double[]> e = new ArrayList<>(expected);
    a.sort(order);
    e.sort(order);
    assertSameInOrder(a, e, what);
  }

  static void assertSameInOrder(List<double[]> actual, List<double[]> expected, String what) {
    assertThat(actual).as(what + ": row count").hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      double[] a = actual.get(i);
      double[] e = expected.get(i);
      assertThat(a[0]).as("%s: class of row %d", what, i).isEqualTo(e[0]);
      for (int j = 1; j < 6; j++) {
        assertThat(close(a[j], e[j], ABS, REL))
            .as("%s: row %d column %d: %s vs expected %s", what, i, j, a[j], e[j])
            .isTrue();
      }
    }
  }

  static List<double[]> toRows(List<Detection> detections) {
    List<double[]> out = new ArrayList<>();
    for (Detection d : detections) {
      out.add(new double[] {d.classId(), d.score(), d.xmin(), d.ymin(), d.xmax(), d.ymax()});
    }
    return out;
  }

  static void assertSorted(List<Detection> detections) {
    for (int i = 1; i < detections.size(); i++) {
      assertThat(detections.get(i).score()).isLessThanOrEqualTo(detections.get(i - 1).score());
    }
  }

  private static List<double[]> rows(JsonNode array) {
    List<double[]> out = new ArrayList<>();
    for (JsonNode row : array) {
      out.add(flat(row));
    }
    return out;
  }

  /** One group's anchors (taken from the y_pred rows of item 0), variances and raw outputs. */
  private record Group(
      double[] anchors,
      double[] variances,
      List<double[]> scores,
      List<double[]> offsets,
      int height,
      int width) {
    static Group of(JsonNode group) {
      JsonNode encoder = group.get("encoder");
      int columns = encoder.get("n_classes").asInt() + 1;
      JsonNode yPred = group.get("y_pred");
      int n = yPred.get(0).size();
      double[] anchors = new double[4 * n];
      double[] variances = new double[4];
      List<double[]> scores = new ArrayList<>();
      List<double[]> offsets = new ArrayList<>();
      for (int b = 0; b < yPred.size(); b++) {
        double[] s = new double[n * columns];
        double[] o = new double[4 * n];
        for (int i = 0; i < n; i++) {
          double[] row = flat(yPred.get(b).get(i));
          assertThat(row).hasSize(columns + 12);
          System.arraycopy(row, 0, s, i * columns, columns);
          System.arraycopy(row, columns, o, 4 * i, 4);
          if (b == 0) {
            System.arraycopy(row, columns + 4, anchors, 4 * i, 4);
            System.arraycopy(row, columns + 8, variances, 0, 4);
          }
        }
        scores.add(s);
        offsets.add(o);
      }
      return new Group(
          anchors,
          variances,
          scores,
          offsets,
          encoder.get("img_height").asInt(),
          encoder.get("img_width").asInt());
    }
  }
}
