package org.grievance.ssd.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.grievance.ssd.testing.Golden;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden file {@code average_precision.json} records the Keras reference evaluator. Where its
 * semantics coincide with the VOC devkit (11-point, 'include' borders, no IoU at the threshold,
 * every class with ground truth) our numbers must equal it; where a corrected quirk changes the
 * outcome the test names the quirk and checks the devkit's number (hand-derived or from {@code
 * eval/golden-devkit/expected.json}, the same cases scored by py-faster-rcnn's voc_eval).
 */
class VocEvaluatorGoldenTest {
  private static final double TOL = 1e-12;
  private static final JsonNode GOLDEN = Golden.load("average_precision.json");
  private static final JsonNode DEVKIT = EvalFixtures.load("golden-devkit/expected.json");

  private static JsonNode golden(String name) {
    for (JsonNode c : GOLDEN.get("cases")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no golden case " + name);
  }

  private static List<String> classNames(JsonNode c) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= c.get("n_classes").asInt(); i++) {
      out.add("class" + i);
    }
    return out;
  }

  private static List<GroundTruthBox> groundTruth(JsonNode c, boolean useDifficult) {
    List<GroundTruthBox> out = new ArrayList<>();
    JsonNode neutral = c.get("eval_neutral");
    for (int k = 0; k < c.get("image_ids").size(); k++) {
      String image = c.get("image_ids").get(k).asText();
      JsonNode rows = c.get("ground_truth").get(k);
      for (int j = 0; j < rows.size(); j++) {
        double[] r = Golden.flat(rows.get(j));
        boolean difficult = useDifficult && !neutral.isNull() && neutral.get(k).get(j).asBoolean();
        out.add(
            new GroundTruthBox(
                image, (int) r[0], r[1], r[2], r[3], r[4], difficult, false, Double.NaN));
      }
    }
    return out;
  }

  private static List<ScoredDetection> detections(JsonNode c) {
    List<ScoredDetection> out = new ArrayList<>();
    JsonNode preds = c.get("predictions");
    for (int cls = 1; cls < preds.size(); cls++) {
      for (JsonNode p : preds.get(cls)) {
        out.add(
            new ScoredDetection(
                p.get(0).asText(),
                cls,
                p.get(1).asDouble(),
                p.get(2).asDouble(),
                p.get(3).asDouble(),
                p.get(4).asDouble(),
                p.get(5).asDouble()));
      }
    }
    return out;
  }

  private static VocEvaluation run(String name, ApMetric metric, double thr, boolean difficult) {
    JsonNode c = golden(name);
    return new VocEvaluator(metric, thr)
        .evaluate(classNames(c), groundTruth(c, difficult), detections(c));
  }

  /** Our APs, mAP and curves equal golden run {@code r} of case {@code name}. */
  private static void assertEqualsGoldenRun(String name, int r, boolean difficult) {
    JsonNode params = golden(name).get("runs").get(r).get("params");
    JsonNode expected = golden(name).get("runs").get(r).get("expected");
    assertThat(params.get("mode").asText()).isEqualTo("sample");
    assertThat(params.get("num_recall_points").asInt()).isEqualTo(11);
    VocEvaluation e =
        run(
            name,
            ApMetric.VOC07_11_POINT,
            params.get("matching_iou_threshold").asDouble(),
            difficult);
    for (ClassAp c : e.classes()) {
      JsonNode pc = expected.get("per_class").get(c.classId() - 1);
      assertThat(c.numGt()).as("class %d GT", c.classId()).isEqualTo(pc.get("num_gt").asInt());
      assertThat(c.ap())
          .as("class %d AP", c.classId())
          .isCloseTo(pc.get("average_precision").asDouble(), within(TOL));
      assertThat(c.precision())
          .as("class %d precision", c.classId())
          .containsExactly(Golden.flat(pc.get("cumulative_precision")), within(TOL));
      assertThat(c.recall())
          .as("class %d recall", c.classId())
          .containsExactly(Golden.flat(pc.get("cumulative_recall")), within(TOL));
    }
    assertThat(e.meanAp())
        .isCloseTo(expected.get("mean_average_precision").asDouble(), within(TOL));
  }

  @Test
  void vocLikeElevenPointEqualsGolden() {
    assertEqualsGoldenRun("voc_like", 0, true);
  }

  @Test
  void vocLikeWithDifficultBoxesCountedEqualsGolden() {
    // ignore_neutral_boxes = false is the same as passing no difficult flags.
    assertEqualsGoldenRun("voc_like", 1, false);
  }

  @Test
  void randomMixedElevenPointEqualsGolden() {
    assertEqualsGoldenRun("random_mixed", 0, true);
  }

  @Test
  void recallPointsElevenPointEqualsGolden() {
    // Recorded with border 'half', but every match is unambiguous under 'include' as well.
    assertEqualsGoldenRun("recall_points", 0, true);
  }

  @Test
  @DisplayName(
      "quirk 1, IoU 'include': intersection +1 turns threshold_and_duplicates' t0 into a TP")
  void iouIncludeQuirkCorrected() {
    JsonNode expected = golden("threshold_and_duplicates").get("runs").get(1).get("expected");
    VocEvaluation e = run("threshold_and_duplicates", ApMetric.VOC07_11_POINT, 0.5, true);
    // Reference: (0,0,10,20) vs GT (0,0,10,10) has IoU 100/252 < 0.5 -> FP, AP 2/11.
    assertThat(expected.get("average_precisions").get(1).asDouble())
        .isCloseTo(2.0 / 11, within(TOL));
    // Devkit: IoU 121/231 > 0.5 -> TP; (5,5,25,85.2) vs (5,5,25,45) has 861/1705.2 > 0.5 -> TP.
    // Sequence T T F F T over 3 GT: p = 1 for t <= 0.6, 0.6 for t >= 0.7 -> (7 + 4·0.6) / 11.
    ClassAp c1 = e.classes().get(0);
    assertThat(c1.ap()).isCloseTo(9.4 / 11, within(TOL));
    assertThat(c1.precision()).containsExactly(new double[] {1, 1, 2.0 / 3, 0.5, 0.6}, within(TOL));
    // Class 2 is unaffected and equals the golden value.
    assertThat(e.classes().get(1).ap())
        .isCloseTo(expected.get("average_precisions").get(2).asDouble(), within(TOL));
    assertDevkit("threshold_and_duplicates", e);
  }

  @Test
  @DisplayName("quirk 5, 'integrate' AP: VOC2010 all-point AP instead of the reference's scheme")
  void integrateQuirkCorrected() {
    // voc_like class 1: T T F F F · F · T over 3 GT (one detection ignored: difficult).
    // Envelope: p = 1 up to recall 2/3, then 3/7 up to 1 -> 2/3 + (1/3)(3/7) = 17/21.
    VocEvaluation e = run("voc_like", ApMetric.VOC2010_ALL_POINT, 0.5, true);
    assertThat(e.classes().get(0).ap()).isCloseTo(17.0 / 21, within(TOL));
    // Class 3: T F over 2 GT -> 1/2 (the reference's integrate gives 0: single recall level).
    assertThat(e.classes().get(2).ap()).isCloseTo(0.5, within(TOL));
    JsonNode integrate = golden("voc_like").get("runs").get(2).get("expected");
    assertThat(integrate.get("average_precisions").get(3).asDouble()).isEqualTo(0.0);
    assertDevkit("voc_like", e);
    for (String name : List.of("recall_points", "random_mixed", "missing_classes")) {
      assertDevkit(name, run(name, ApMetric.VOC2010_ALL_POINT, 0.5, true));
    }
  }

  @Test
  @DisplayName("quirk mAP over classes without GT: such classes are NaN and left out of the mean")
  void meanOverClassesWithoutGroundTruthCorrected() {
    JsonNode expected = golden("missing_classes").get("runs").get(0).get("expected");
    VocEvaluation e = run("missing_classes", ApMetric.VOC07_11_POINT, 0.5, true);
    assertThat(e.classes().get(0).ap()).isCloseTo(1.0, within(TOL));
    assertThat(e.classes().get(1).ap()).isEqualTo(0.0); // GT, no detections
    assertThat(e.classes().get(1).numDetections()).isZero();
    assertThat(e.classes().get(2).ap()).isNaN(); // detections, no GT
    assertThat(e.classes().get(2).numDetections()).isEqualTo(2);
    assertThat(e.classes().get(3).ap()).isNaN(); // neither
    // Reference: (1 + 0 + 0 + 0) / 4; corrected: (1 + 0) / 2.
    assertThat(expected.get("mean_average_precision").asDouble()).isEqualTo(0.25);
    assertThat(e.meanAp()).isCloseTo(0.5, within(TOL));
    assertDevkit("missing_classes", e);
  }

  static Stream<Arguments> devkitRuns() {
    List<Arguments> out = new ArrayList<>();
    DEVKIT
        .fieldNames()
        .forEachRemaining(
            name -> {
              for (JsonNode r : DEVKIT.get(name).get("runs")) {
                out.add(
                    Arguments.of(
                        name,
                        ApMetric.valueOf(r.get("metric").asText()),
                        r.get("iou_threshold").asDouble()));
              }
            });
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} IoU {2}")
  @MethodSource("devkitRuns")
  void everyGoldenCaseEqualsTheDevkitExactly(String name, ApMetric metric, double thr) {
    assertDevkit(name, run(name, metric, thr, true));
  }

  /** Bit-identical to voc_eval on the same case, metric and threshold. */
  private static void assertDevkit(String name, VocEvaluation e) {
    for (JsonNode r : DEVKIT.get(name).get("runs")) {
      if (r.get("metric").asText().equals(e.metric().name())
          && r.get("iou_threshold").asDouble() == e.iouThreshold()) {
        for (ClassAp c : e.classes()) {
          JsonNode want = r.get("classes").get(c.classId() - 1);
          EvalFixtures.assertIdentical(
              c.ap(), Golden.number(want.get("ap")), name + " class " + c.classId());
        }
        EvalFixtures.assertIdentical(e.meanAp(), Golden.number(r.get("mean_ap")), name + " mAP");
        return;
      }
    }
    throw new AssertionError(
        "no devkit run for " + name + " " + e.metric() + " " + e.iouThreshold());
  }
}
