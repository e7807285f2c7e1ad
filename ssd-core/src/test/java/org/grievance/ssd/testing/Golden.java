package org.grievance.ssd.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the golden reference vectors of {@code src/test/resources/golden} (format and provenance in
 * that folder's README).
 */
public final class Golden {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Golden() {}

  /** Parses {@code golden/<name>} from the test class path. */
  public static JsonNode load(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource golden/" + name);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One number; the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} included. */
  public static double number(JsonNode node) {
    if (node.isTextual()) {
      return switch (node.asText()) {
        case "NaN" -> Double.NaN;
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> throw new IllegalArgumentException("not a number: " + node);
      };
    }
    return node.asDouble();
  }

  /** A nested array flattened in row-major order. */
  public static double[] flat(JsonNode node) {
    List<Double> values = new ArrayList<>();
    collect(node, values);
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  /** The shape of a nested array ({@code []} has shape {@code [0]}). */
  public static int[] shape(JsonNode node) {
    List<Integer> dims = new ArrayList<>();
    JsonNode cur = node;
    while (cur.isArray()) {
      dims.add(cur.size());
      if (cur.size() == 0) {
        break;
      }
      cur = cur.get(0);
    }
    return dims.stream().mapToInt(Integer::intValue).toArray();
  }

  /** True when {@code actual} is within {@code abs + rel·|expected|} of {@code expected}. */
  public static boolean close(double actual, double expected, double abs, double rel) {
    if (Double.isNaN(expected)) {
      return Double.isNaN(actual);
    }
    if (Double.isInfinite(expected)) {
      return actual == expected;
    }
    return Math.abs(actual - expected) <= abs + rel * Math.abs(expected);
  }

  private static void collect(JsonNode node, List<Double> out) {
    if (node.isArray()) {
      for (JsonNode child : node) {
        collect(child, out);
      }
    } else {
      out.add(number(node));
    }
  }
}
