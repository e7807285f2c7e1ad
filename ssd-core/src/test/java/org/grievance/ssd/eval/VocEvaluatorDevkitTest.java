package org.grievance.ssd.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.grievance.ssd.testing.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The check set {@code eval/voc} scored by py-faster-rcnn's {@code voc_eval} (numbers in {@code
 * expected.json}, produced as its README says): AP, mAP and the whole precision/recall curves must
 * be identical.
 */
class VocEvaluatorDevkitTest {
  static Stream<Arguments> runs() {
    JsonNode expected = EvalFixtures.load("voc/expected.json");
    return Stream.iterate(0, i -> i + 1)
        .limit(expected.get("runs").size())
        .map(
            i -> {
              JsonNode run = expected.get("runs").get(i);
              return Arguments.of(
                  run.get("metric").asText() + " IoU " + run.get("iou_threshold").asDouble(), run);
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void equalsTheDevkit(String name, JsonNode run) {
    JsonNode fixture = EvalFixtures.load("voc/fixture.json");
    VocEvaluator evaluator =
        new VocEvaluator(
            ApMetric.valueOf(run.get("metric").asText()), run.get("iou_threshold").asDouble());
    VocEvaluation result =
        evaluator.evaluate(
            EvalFixtures.strings(fixture.get("classes")),
            EvalFixtures.vocGroundTruth(fixture),
            EvalFixtures.vocDetections(fixture));
    List<ClassAp> classes = result.classes();
    assertThat(classes).hasSize(run.get("classes").size());
    for (int c = 0; c < classes.size(); c++) {
      JsonNode want = run.get("classes").get(c);
      ClassAp got = classes.get(c);
      String label = name + " class " + want.get("name").asText();
      assertThat(got.name()).as(label).isEqualTo(want.get("name").asText());
      assertThat(got.numGt()).as(label + " npos").isEqualTo(want.get("npos").asInt());
      assertThat(got.numDetections())
          .as(label + " detections")
          .isEqualTo(want.get("num_detections").asInt());
      EvalFixtures.assertIdentical(got.ap(), Golden.number(want.get("ap")), label + " AP");
      if (got.hasGroundTruth()) {
        assertThat(got.precision())
            .as(label + " precision")
            .containsExactly(Golden.flat(want.get("precision")));
        assertThat(got.recall())
            .as(label + " recall")
            .containsExactly(Golden.flat(want.get("recall")));
      }
    }
    EvalFixtures.assertIdentical(result.meanAp(), Golden.number(run.get("mean_ap")), name + " mAP");
  }
}
