package org.grievance.ssd.register.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.register.api.LabelledBox;
import org.grievance.ssd.register.api.PixelBox;

/**
 * The {@code annotation.boxes} column (schema V5): officials' boxes as a JSON array of {@code
 * {"class": …, "box": {"xmin": …, "ymin": …, "xmax": …, "ymax": …}}} in the stored photo's pixels.
 * One codec for the API that writes the column and the export that reads it, so the two cannot
 * drift apart.
 */
public final class AnnotationBoxes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AnnotationBoxes() {}

  /** {@code boxes} as the column's JSON text. */
  public static String toJson(List<LabelledBox> boxes) {
    try {
      return JSON.writeValueAsString(boxes);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise boxes", e);
    }
  }

  /**
   * Reads the column of grievance {@code id}. The API only stores checked boxes, so a malformed
   * value means the row was edited by hand: the error names the grievance and the field.
   */
  public static List<LabelledBox> parse(long id, String text) {
    String where = "annotation of grievance " + id + ": boxes";
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(where + ": not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isArray()) {
      throw new IllegalStateException(where + ": must be a JSON array");
    }
    List<LabelledBox> out = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      String at = where + "[" + i + "]";
      JsonNode cls = root.get(i).get("class");
      JsonNode box = root.get(i).get("box");
      if (cls == null || !cls.isTextual() || cls.textValue().isBlank()) {
        throw new IllegalStateException(at + ".class: must be a class name");
      }
      if (box == null || !box.isObject()) {
        throw new IllegalStateException(at + ".box: must be an object");
      }
      PixelBox b =
          new PixelBox(
              number(box, "xmin", at),
              number(box, "ymin", at),
              number(box, "xmax", at),
              number(box, "ymax", at));
      if (!(b.xmax() > b.xmin() && b.ymax() > b.ymin())) {
        throw new IllegalStateException(at + ".box: needs xmax > xmin and ymax > ymin, got " + b);
      }
      out.add(new LabelledBox(cls.textValue(), b));
    }
    return out;
  }

  private static double number(JsonNode box, String field, String at) {
    JsonNode v = box.get(field);
    if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue())) {
      throw new IllegalStateException(at + ".box." + field + ": must be a finite number");
    }
    return v.doubleValue();
  }
}
