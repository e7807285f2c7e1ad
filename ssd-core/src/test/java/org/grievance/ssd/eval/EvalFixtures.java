package org.grievance.ssd.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.testing.Golden;

/** Loads the check sets under {@code src/test/resources/eval} (see the README there). */
final class EvalFixtures {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private EvalFixtures() {}

  static JsonNode load(String path) {
    try (InputStream in = EvalFixtures.class.getResourceAsStream("/eval/" + path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource eval/" + path);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bit-for-bit equality; NaN equals NaN. */
  static void assertIdentical(double actual, double expected, String label) {
    org.assertj.core.api.Assertions.assertThat(Double.valueOf(actual))
        .as(label)
        .isEqualTo(Double.valueOf(expected));
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** {@code voc/fixture.json}: ground truth with difficult flags. */
  static List<GroundTruthBox> vocGroundTruth(JsonNode fixture) {
    List<GroundTruthBox> out = new ArrayList<>();
    for (JsonNode g : fixture.get("ground_truth")) {
      double[] b = Golden.flat(g.get("box"));
      out.add(
          new GroundTruthBox(
              g.get("image_id").asText(),
              g.get("class_id").asInt(),
              b[0],
              b[1],
              b[2],
              b[3],
              g.get("difficult").asBoolean(),
              false,
              Double.NaN));
    }
    return out;
  }

  static List<ScoredDetection> vocDetections(JsonNode fixture) {
    List<ScoredDetection> out = new ArrayList<>();
    for (JsonNode d : fixture.get("detections")) {
      double[] b = Golden.flat(d.get("box"));
      out.add(
          new ScoredDetection(
              d.get("image_id").asText(),
              d.get("class_id").asInt(),
              d.get("score").asDouble(),
              b[0],
              b[1],
              b[2],
              b[3]));
    }
    return out;
  }
}
