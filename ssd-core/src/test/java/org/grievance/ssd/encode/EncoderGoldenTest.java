package org.grievance.ssd.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.grievance.ssd.anchor.AnchorGenerator;
import org.grievance.ssd.anchor.Anchors;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.testing.Golden;
import org.grievance.ssd.testing.GoldenConfigs;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every batch item of {@code golden/encode.json}. Items that hit no corrected quirk must equal the
 * reference's {@code y_encoded}; the others are checked against the corrected behaviour, named in
 * the test's display name.
 */
class EncoderGoldenTest {
  private static final double ABS = 1e-9;
  private static final double REL = 1e-9;

  @TestFactory
  Stream<DynamicTest> encodeMatchesTheReference() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : Golden.load("encode.json").get("cases")) {
      JsonNode enc = c.get("encoder");
      Anchors anchors = AnchorGenerator.generate(GoldenConfigs.anchorConfig(enc));
      EncoderConfig cfg = encoderConfig(enc);
      int nClasses = enc.get("n_classes").asInt();
      JsonNode y = c.get("expected").get("y_encoded");
      JsonNode gts = c.get("ground_truth_labels");
      for (int item = 0; item < gts.size(); item++) {
        final int b = item;
        JsonNode info = c.get("expected").get("scenario_info").get(b);
        String scenario = info.get("scenario").asText();
        double[] labels = Golden.flat(gts.get(b));
        Expected exp = Expected.of(y.get(b), nClasses);
        String name = c.get("name").asText() + "[" + b + "] " + scenario;
        if (scenario.startsWith("outside_image")) {
          tests.add(
              DynamicTest.dynamicTest(
                  name + " [quirk: bipartite re-match of a box outside the image, corrected]",
                  () -> checkOutsideBox(anchors, cfg, labels, exp)));
        } else if (cfg.borderPixels() != BorderPixels.HALF) {
          tests.add(
              DynamicTest.dynamicTest(
                  name
                      + " [reference quirks corrected: IoU border, border width after normalisation]",
                  () -> checkAgainstOracle(anchors, cfg, labels)));
        } else {
          tests.add(
              DynamicTest.dynamicTest(
                  name, () -> checkAgainstReference(anchors, cfg, labels, exp, c, b)));
        }
      }
    }
    assertThat(tests).hasSizeGreaterThanOrEqualTo(20);
    return tests.stream();
  }

  private static void checkAgainstReference(
      Anchors anchors, EncoderConfig cfg, double[] labels, Expected exp, JsonNode c, int b) {
    EncodedTargets t = new SsdInputEncoder(anchors, cfg).encode(labels);
    assertThat(t.classIds()).containsExactly(exp.classes);
    assertFloatOffsets(t.offsets(), exp.offsets);
    JsonNode e = c.get("expected");
    assertThat(t.positives()).isEqualTo(e.get("positive_anchor_indices").get(b).size());
    assertThat(t.neutrals()).isEqualTo(e.get("neutral_anchor_indices").get(b).size());
    int p = 0;
    for (JsonNode idx : e.get("positive_anchor_indices").get(b)) {
      assertThat(t.classId(idx.asInt()))
          .isEqualTo(e.get("positive_anchor_classes").get(b).get(p++).asInt());
    }
    // The oracle must agree with the reference in double precision, which validates it for the
    // cases where only the oracle can judge.
    NaiveEncoder oracle = new NaiveEncoder(anchors, cfg, labels);
    assertThat(oracle.classes).containsExactly(exp.classes);
    for (int i = 0; i < exp.offsets.length; i++) {
      assertThat(Golden.close(oracle.offsets[i], exp.offsets[i], ABS, REL))
          .as("oracle offset %d: %s vs %s", i, oracle.offsets[i], exp.offsets[i])
          .isTrue();
    }
    // And the anchor copy / variance columns of the reference equal our anchors.
    double[] boxes = anchors.boxes();
    double[] v = anchors.variances();
    for (int a = 0; a < anchors.count(); a++) {
      for (int j = 0; j < 4; j++) {
        assertThat(Golden.close(boxes[4 * a + j], exp.anchorCols[4 * a + j], ABS, REL)).isTrue();
        assertThat(exp.varianceCols[4 * a + j]).isEqualTo(v[j]);
      }
    }
  }

  private static void checkAgainstOracle(Anchors anchors, EncoderConfig cfg, double[] labels) {
    EncodedTargets t = new SsdInputEncoder(anchors, cfg).encode(labels);
    NaiveEncoder oracle = new NaiveEncoder(anchors, cfg, labels);
    assertThat(t.classIds()).containsExactly(oracle.classes);
    assertFloatOffsets(t.offsets(), oracle.offsets);
    assertThat(t.positives()).isGreaterThanOrEqualTo(labels.length / 5);
  }

  /**
   * The reference gives anchor 0 to the box outside the image. Rejecting is the default; dropping
   * gives exactly the reference's encoding except that anchor 0 stays background.
   */
  private static void checkOutsideBox(
      Anchors anchors, EncoderConfig cfg, double[] labels, Expected exp) {
    assertThatThrownBy(() -> new SsdInputEncoder(anchors, cfg).encode(labels))
        .isInstanceOf(InvalidBoxException.class)
        .hasMessageContaining("does not overlap");
    EncoderConfig drop =
        cfg.toBuilder().outsideBoxPolicy(OutsideBoxPolicy.DROP_WITH_WARNING).build();
    EncodedTargets t = new SsdInputEncoder(anchors, drop).encode(labels);
    assertThat(exp.classes[0]).as("the reference's quirky match").isPositive();
    int[] expected = exp.classes.clone();
    expected[0] = 0;
    double[] expectedOffsets = exp.offsets.clone();
    java.util.Arrays.fill(expectedOffsets, 0, 4, 0.0);
    assertThat(t.classIds()).containsExactly(expected);
    assertFloatOffsets(t.offsets(), expectedOffsets);
  }

  /** Our offsets are float32: equal to the double value rounded to float, within one float ulp. */
  static void assertFloatOffsets(float[] actual, double[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < actual.length; i++) {
      float e = (float) expected[i];
      assertThat(Math.abs(actual[i] - e))
          .as("offset %d (anchor %d): %s vs %s", i, i / 4, actual[i], expected[i])
          .isLessThanOrEqualTo(Math.ulp(e));
    }
  }

  static EncoderConfig encoderConfig(JsonNode e) {
    return EncoderConfig.builder(e.get("n_classes").asInt())
        .matchingType(MatchingType.valueOf(e.get("matching_type").asText().toUpperCase()))
        .posIouThreshold(e.get("pos_iou_threshold").asDouble())
        .negIouLimit(e.get("neg_iou_limit").asDouble())
        .borderPixels(BorderPixels.parse(e.get("border_pixels").asText()))
        .build();
  }

  /** One batch item of {@code y_encoded}, split into our representation. */
  private record Expected(
      int[] classes, double[] offsets, double[] anchorCols, double[] varianceCols) {
    static Expected of(JsonNode item, int nClasses) {
      int n = item.size();
      int[] classes = new int[n];
      double[] offsets = new double[4 * n];
      double[] anchorCols = new double[4 * n];
      double[] varianceCols = new double[4 * n];
      for (int a = 0; a < n; a++) {
        double[] row = Golden.flat(item.get(a));
        int cls = -1;
        for (int j = 0; j <= nClasses; j++) {
          if (row[j] == 1.0) {
            assertThat(cls).as("one-hot row %d", a).isEqualTo(-1);
            cls = j;
          } else {
            assertThat(row[j]).isZero();
          }
        }
        classes[a] = cls;
        for (int j = 0; j < 4; j++) {
          offsets[4 * a + j] = row[nClasses + 1 + j];
          anchorCols[4 * a + j] = row[nClasses + 5 + j];
          varianceCols[4 * a + j] = row[nClasses + 9 + j];
        }
      }
      return new Expected(classes, offsets, anchorCols, varianceCols);
    }
  }
}
