package org.grievance.ssd.register.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.infer.DetectionWriter;
import org.grievance.ssd.register.ApiJson;

/**
 * Reads back the detections a grievance stores (the {@code detections} array of an {@code
 * ssd-detections/1} document) with the library's own reader, so stored and written detections never
 * disagree on the format.
 */
public final class StoredDetections {
  private StoredDetections() {}

  /**
   * The detections of {@code json}, the stored array of grievance {@code id} (named in errors).
   *
   * @throws IllegalStateException when the stored text is not such an array: the database was
   *     changed by hand, not a client's fault
   */
  public static List<Detection> parse(long id, String json, int width, int height) {
    try {
      JsonNode detections = ApiJson.MAPPER.readTree(json);
      ObjectNode doc = ApiJson.MAPPER.createObjectNode();
      doc.put("schema", DetectionWriter.SCHEMA);
      doc.put("imageWidth", width);
      doc.put("imageHeight", height);
      doc.set("detections", detections);
      return DetectionWriter.fromJson(doc, "grievance " + id).detections();
    } catch (IOException e) {
      throw new IllegalStateException("grievance " + id + " has malformed detections JSON", e);
    }
  }
}
