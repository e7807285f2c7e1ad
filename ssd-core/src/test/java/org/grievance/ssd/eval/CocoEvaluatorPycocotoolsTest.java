package org.grievance.ssd.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * The check set {@code eval/coco} scored by pycocotools' COCOeval (numbers in {@code
 * expected.json}, produced as its README says): the twelve summary numbers and the per-class AP
 * must be identical.
 */
class CocoEvaluatorPycocotoolsTest {
  private static final String[] STATS = {
    "ap", "ap50", "ap75", "apSmall", "apMedium", "apLarge",
    "ar1", "ar10", "ar100", "arSmall", "arMedium", "arLarge"
  };

  @Test
  void equalsPycocotools() {
    JsonNode gt = EvalFixtures.load("coco/instances.json");
    JsonNode dt = EvalFixtures.load("coco/detections.json");
    JsonNode expected = EvalFixtures.load("coco/expected.json");
    List<String> classNames = new ArrayList<>();
    gt.get("categories").forEach(c -> classNames.add(c.get("name").asText()));
    List<String> imageIds = new ArrayList<>();
    gt.get("images").forEach(i -> imageIds.add(i.get("id").asText()));
    List<GroundTruthBox> boxes = new ArrayList<>();
    for (JsonNode a : gt.get("annotations")) {
      double[] b = Golden.flat(a.get("bbox"));
      boxes.add(
          new GroundTruthBox(
              a.get("image_id").asText(),
              a.get("category_id").asInt(),
              b[0],
              b[1],
              b[0] + b[2],
              b[1] + b[3],
              false,
              a.get("iscrowd").asInt() == 1,
              a.get("derive_area").asBoolean() ? Double.NaN : a.get("area").asDouble()));
    }
    List<ScoredDetection> detections = new ArrayList<>();
    for (JsonNode d : dt) {
      double[] c = Golden.flat(d.get("corners"));
      detections.add(
          new ScoredDetection(
              d.get("image_id").asText(),
              d.get("category_id").asInt(),
              d.get("score").asDouble(),
              c[0],
              c[1],
              c[2],
              c[3]));
    }

    CocoEvaluation result = new CocoEvaluator().evaluate(classNames, imageIds, boxes, detections);

    double[] stats = result.stats();
    for (int i = 0; i < STATS.length; i++) {
      EvalFixtures.assertIdentical(
          stats[i], expected.get("stats").get(STATS[i]).asDouble(), STATS[i]);
    }
    for (int k = 0; k < classNames.size(); k++) {
      JsonNode want = expected.get("per_class").get(k);
      assertThat(result.perClass().get(k).name()).isEqualTo(want.get("name").asText());
      EvalFixtures.assertIdentical(
          result.perClass().get(k).ap(),
          Golden.number(want.get("ap")),
          "AP of " + want.get("name").asText());
    }
    assertThat(CocoEvaluator.IOU_THRESHOLDS)
        .containsExactly(Golden.flat(expected.get("iou_thresholds")));
  }
}
