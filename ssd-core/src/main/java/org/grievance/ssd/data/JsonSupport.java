package org.grievance.ssd.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;

/** Shared Jackson set-up and typed field access with error messages naming file and field. */
final class JsonSupport {
  /**
   * Accepts {@code NaN}/{@code Infinity} tokens (Python's {@code json.dump} writes them) so that
   * they are reported as a bad field value rather than as a syntax error.
   */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
          .build();

  private JsonSupport() {}

  /** A malformed-JSON error with Jackson's line and column. */
  static DatasetException syntax(Path file, JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    String where = loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr();
    return new DatasetException(file + where + ": malformed JSON: " + e.getOriginalMessage());
  }

  /** The required member {@code name} of {@code obj}. */
  static JsonNode required(Path file, JsonNode obj, String name, String where) {
    JsonNode v = obj.get(name);
    if (v == null || v.isNull()) {
      throw DatasetException.in(file, where + ": missing field '" + name + "'");
    }
    return v;
  }

  /** An integral JSON number as a long. */
  static long integer(Path file, JsonNode v, String where) {
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw DatasetException.in(file, where + ": must be an integer, got " + describe(v));
    }
    return v.longValue();
  }

  /** An int-range integral JSON number. */
  static int intValue(Path file, JsonNode v, String where) {
    long l = integer(file, v, where);
    if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
      throw DatasetException.in(file, where + ": " + l + " is out of int range");
    }
    return (int) l;
  }

  /** A finite JSON number. */
  static double finite(Path file, JsonNode v, String where) {
    if (!v.isNumber()) {
      throw DatasetException.in(file, where + ": must be a number, got " + describe(v));
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d)) {
      throw DatasetException.in(file, where + ": must be finite, got " + v.asText());
    }
    return d;
  }

  /**
   * A COCO {@code bbox} member, {@code [x, y, w, h]}: four finite numbers with {@code w, h >= 0}
   * (zero-sized boxes exist in real COCO files). {@code where} names the element holding it.
   *
   * @return {@code {x, y, w, h}}
   */
  static double[] cocoBbox(Path file, JsonNode bbox, String where) {
    if (!bbox.isArray() || bbox.size() != 4) {
      throw DatasetException.in(
          file, where + ".bbox: must be an array of 4 numbers [x, y, w, h], got " + describe(bbox));
    }
    double x = finite(file, bbox.get(0), where + ".bbox[0]");
    double y = finite(file, bbox.get(1), where + ".bbox[1]");
    double w = finite(file, bbox.get(2), where + ".bbox[2]");
    double h = finite(file, bbox.get(3), where + ".bbox[3]");
    if (w < 0 || h < 0) {
      throw DatasetException.in(
          file, where + ".bbox: width and height must be >= 0, got " + w + " x " + h);
    }
    return new double[] {x, y, w, h};
  }

  /** An image id: an integer (as its decimal string) or a non-blank string. */
  static String imageId(Path file, JsonNode v, String where) {
    if (v.isIntegralNumber()) {
      return v.bigIntegerValue().toString();
    }
    if (v.isTextual() && !v.textValue().isBlank()) {
      return v.textValue();
    }
    throw DatasetException.in(
        file, where + ": must be an integer or a non-blank string, got " + describe(v));
  }

  static String describe(JsonNode v) {
    String text = v.toString();
    if (text.length() > 40) {
      text = text.substring(0, 37) + "...";
    }
    return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + text;
  }
}
