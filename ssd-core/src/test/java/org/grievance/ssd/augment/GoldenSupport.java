package org.grievance.ssd.augment;

import com.fasterxml.jackson.databind.JsonNode;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.testing.Golden;

/** Turns augment.json fields into the augment package's types. */
final class GoldenSupport {
  private GoldenSupport() {}

  static RgbImage image(JsonNode node) {
    int[] shape = Golden.shape(node);
    double[] v = Golden.flat(node);
    int channels = shape.length == 2 ? 1 : shape[2];
    byte[] px = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      px[i] = (byte) (int) v[i];
    }
    return ConvertTo3Channels.convert(shape[0], shape[1], channels, px);
  }

  static FloatImage floatImage(JsonNode node) {
    int[] shape = Golden.shape(node);
    double[] v = Golden.flat(node);
    float[] px = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      px[i] = (float) v[i];
    }
    return new FloatImage(shape[0], shape[1], px);
  }

  static double[][] rows(JsonNode node) {
    double[][] out = new double[node.size()][];
    for (int i = 0; i < node.size(); i++) {
      out[i] = Golden.flat(node.get(i));
    }
    return out;
  }

  static Background background(JsonNode params) {
    JsonNode b = params.get("background");
    return b == null || b.isNull()
        ? Background.BLACK
        : new Background(b.get(0).asInt(), b.get(1).asInt(), b.get(2).asInt());
  }

  static boolean bool(JsonNode params, String key, boolean dflt) {
    JsonNode n = params.get(key);
    return n == null || n.isNull() ? dflt : n.asBoolean();
  }

  /** A BoxFilter spec (null or absent → null); absent keys take the reference defaults. */
  static BoxFilter boxFilter(JsonNode spec) {
    if (spec == null || spec.isNull()) {
      return null;
    }
    BoxFilter.Builder b =
        BoxFilter.builder()
            .checkOverlap(bool(spec, "check_overlap", true))
            .checkMinArea(bool(spec, "check_min_area", true))
            .checkDegenerate(bool(spec, "check_degenerate", true));
    if (spec.hasNonNull("overlap_criterion")) {
      b.overlapCriterion(OverlapCriterion.parse(spec.get("overlap_criterion").asText()));
    }
    if (spec.hasNonNull("overlap_bounds")) {
      b.overlapBounds(bounds(spec.get("overlap_bounds")));
    }
    if (spec.hasNonNull("min_area")) {
      b.minArea(spec.get("min_area").asDouble());
    }
    if (spec.hasNonNull("border_pixels")) {
      b.borderPixels(BorderPixels.parse(spec.get("border_pixels").asText()));
    }
    return b.build();
  }

  static Bounds bounds(JsonNode pair) {
    return new Bounds(pair.get(0).asDouble(), pair.get(1).asDouble());
  }
}
