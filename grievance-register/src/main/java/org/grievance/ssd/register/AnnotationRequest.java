package org.grievance.ssd.register;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grievance.ssd.register.api.LabelledBox;
import org.grievance.ssd.register.api.PixelBox;

/**
 * The body of {@code PUT /api/grievances/{id}/annotations}, read strictly (no unknown or duplicate
 * fields, nothing after the object, no strings for numbers) and checked against the photo and the
 * model: every box inside the image, of positive size, of one of the model's classes, and at most
 * {@link #MAX_BOXES} of them. A refusal is a 400 whose message and {@code field} name the offending
 * field as a path, e.g. {@code boxes[2].box.xmax}, so the editor can point at it.
 */
final class AnnotationRequest {
  /** More boxes than this in one photo is a mistake (or an attack), not a street scene. */
  static final int MAX_BOXES = 300;

  private static final ObjectReader READER =
      strictScalars()
          .readerFor(Body.class)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** The service's mapper, but "12" is no number and "true" or 1 no boolean. */
  private static ObjectMapper strictScalars() {
    ObjectMapper m = ApiJson.MAPPER.copy();
    m.coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    return m;
  }

  private AnnotationRequest() {}

  /** The JSON body as it comes. */
  record Body(Boolean reviewed, List<BoxBody> boxes) {}

  /** One box as it comes. */
  record BoxBody(@JsonProperty("class") String className, Coordinates box) {}

  /** Edges as they come; null when missing. */
  record Coordinates(Double xmin, Double ymin, Double xmax, Double ymax) {}

  /** A checked body: the boxes in order and whether the photo is reviewed. */
  record Checked(boolean reviewed, List<LabelledBox> boxes) {}

  /**
   * Parses and checks {@code json} for a photo of {@code width x height} pixels whose boxes may
   * have the classes {@code classes}.
   */
  static Checked parse(String json, int width, int height, List<String> classes) {
    Body body;
    try {
      body = READER.readValue(json);
    } catch (JsonProcessingException e) {
      throw describe(e);
    }
    if (body == null) {
      throw invalid("", "the body must be a JSON object {\"reviewed\": true, \"boxes\": [...]}");
    }
    if (body.reviewed() == null) {
      throw invalid("reviewed", "reviewed is missing: give true (finished) or false (in progress)");
    }
    if (body.boxes() == null) {
      throw invalid("boxes", "boxes is missing: give an array of boxes ([] for none)");
    }
    if (body.boxes().size() > MAX_BOXES) {
      throw invalid(
          "boxes",
          "boxes has " + body.boxes().size() + " boxes; a photo may have at most " + MAX_BOXES);
    }
    List<LabelledBox> out = new ArrayList<>();
    for (int i = 0; i < body.boxes().size(); i++) {
      out.add(check(body.boxes().get(i), "boxes[" + i + "]", width, height, classes));
    }
    return new Checked(body.reviewed(), List.copyOf(out));
  }

  private static LabelledBox check(
      BoxBody b, String at, int width, int height, List<String> classes) {
    if (b == null) {
      throw invalid(at, at + " must be an object {\"class\": ..., \"box\": {...}}");
    }
    if (b.className() == null) {
      throw invalid(at + ".class", at + ".class is missing: give one of " + classes);
    }
    if (!classes.contains(b.className())) {
      throw invalid(
          at + ".class",
          at
              + ".class must be one of the model's classes "
              + classes
              + ", got '"
              + clip(b.className())
              + "'");
    }
    Coordinates c = b.box();
    if (c == null) {
      throw invalid(at + ".box", at + ".box is missing: give {xmin, ymin, xmax, ymax} in pixels");
    }
    double xmin = edge(c.xmin(), at + ".box.xmin", width, "width");
    double ymin = edge(c.ymin(), at + ".box.ymin", height, "height");
    double xmax = edge(c.xmax(), at + ".box.xmax", width, "width");
    double ymax = edge(c.ymax(), at + ".box.ymax", height, "height");
    if (!(xmax > xmin)) {
      throw invalid(
          at + ".box.xmax",
          at + ".box.xmax must be greater than xmin (" + xmin + "): a box has a positive width");
    }
    if (!(ymax > ymin)) {
      throw invalid(
          at + ".box.ymax",
          at + ".box.ymax must be greater than ymin (" + ymin + "): a box has a positive height");
    }
    return new LabelledBox(b.className(), new PixelBox(xmin, ymin, xmax, ymax));
  }

  /** An edge inside {@code [0, size]}. */
  private static double edge(Double v, String field, int size, String dimension) {
    if (v == null) {
      throw invalid(field, field + " is missing");
    }
    if (!(v >= 0 && v <= size)) {
      throw invalid(
          field,
          field
              + " must be inside the photo, in [0, "
              + size
              + "] (its "
              + dimension
              + " in pixels), got "
              + v);
    }
    return v;
  }

  private static ApiException invalid(String field, String message) {
    return new ApiException(
        400, message, Map.of(), field.isEmpty() ? Map.of() : Map.of("field", field));
  }

  /** A request value quoted in a message: at most 40 characters of it. */
  private static String clip(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "…";
  }

  /** What is wrong with the body, in the API's words, naming the field as a path. */
  static ApiException describe(JsonProcessingException e) {
    String where =
        e.getLocation() == null
            ? ""
            : " (line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr()
                + ")";
    if (e.getMessage() != null && e.getMessage().startsWith("Duplicate field")) {
      return invalid("", "a field appears twice" + where);
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      String path = path(m.getPath());
      if (e instanceof UnrecognizedPropertyException u) {
        String known =
            m.getPath().size() == 1
                ? "reviewed and boxes"
                : m.getPath().size() == 3 ? "class and box" : "xmin, ymin, xmax and ymax";
        return invalid(path, "unknown field " + path + ": the object has " + known);
      }
      String last = m.getPath().get(m.getPath().size() - 1).getFieldName();
      String expected =
          last == null
              ? "an object {\"class\": ..., \"box\": {...}}"
              : switch (last) {
                case "reviewed" -> "true or false";
                case "boxes" -> "an array of boxes";
                case "class" -> "a class name (a string)";
                case "box" -> "an object {xmin, ymin, xmax, ymax}";
                default -> "a number of pixels";
              };
      return invalid(path, path + " must be " + expected);
    }
    return invalid(
        "", "the body must be a JSON object {\"reviewed\": true, \"boxes\": [...]}" + where);
  }

  /** {@code boxes[2].box.xmax} from Jackson's path of the field. */
  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        out.append('[').append(r.getIndex()).append(']');
      }
    }
    return out.toString();
  }
}
