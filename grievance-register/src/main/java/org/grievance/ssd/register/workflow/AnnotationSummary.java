package org.grievance.ssd.register.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.grievance.ssd.register.ApiJson;

/**
 * The audit trail's short form of a photo's boxes, e.g. {@code 3 boxes (graffiti 1, pothole 2),
 * reviewed}: enough to follow who changed what without storing every coordinate twice (the
 * annotation row holds those), and short enough for an audit value.
 */
final class AnnotationSummary {
  private AnnotationSummary() {}

  /** The summary of {@code boxesJson}, a stored array of {@code {"class", "box"}} objects. */
  static String of(String boxesJson, boolean reviewed) {
    JsonNode boxes;
    try {
      boxes = ApiJson.MAPPER.readTree(boxesJson);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored boxes are not JSON", e);
    }
    Map<String, Integer> byClass = new TreeMap<>();
    for (JsonNode b : boxes) {
      byClass.merge(b.path("class").asText(), 1, Integer::sum);
    }
    StringJoiner classes = new StringJoiner(", ", " (", ")").setEmptyValue("");
    byClass.forEach((name, n) -> classes.add(name + " " + n));
    String count = boxes.size() == 1 ? "1 box" : boxes.size() + " boxes";
    String summary = count + classes + ", " + (reviewed ? "reviewed" : "in progress");
    // Audit values hold 2,000 characters; a model has few classes, but never overflow.
    return summary.length() <= 2000 ? summary : summary.substring(0, 1999) + "…";
  }
}
