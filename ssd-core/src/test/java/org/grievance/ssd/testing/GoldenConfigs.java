package org.grievance.ssd.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.anchor.AxisPair;
import org.grievance.ssd.anchor.FeatureMapSize;
import org.grievance.ssd.box.BoxFormat;

/** Turns the golden files' {@code encoder} parameter object into our configuration types. */
public final class GoldenConfigs {
  private GoldenConfigs() {}

  /** The anchor part of an {@code encoder} object, through the builder (shorthands included). */
  public static AnchorConfig anchorConfig(JsonNode e) {
    List<FeatureMapSize> sizes = new ArrayList<>();
    e.get("predictor_sizes")
        .forEach(p -> sizes.add(new FeatureMapSize(p.get(0).asInt(), p.get(1).asInt())));
    AnchorConfig.Builder b =
        AnchorConfig.builder()
            .imageSize(e.get("img_height").asInt(), e.get("img_width").asInt())
            .predictorSizes(sizes)
            .minMaxScale(e.get("min_scale").asDouble(), e.get("max_scale").asDouble())
            .twoBoxesForAr1(e.get("two_boxes_for_ar1").asBoolean())
            .clipBoxes(e.get("clip_boxes").asBoolean())
            .variances(Golden.flat(e.get("variances")))
            .coords(BoxFormat.parse(e.get("coords").asText()))
            .normalizeCoords(e.get("normalize_coords").asBoolean())
            .aspectRatiosGlobal(Golden.flat(e.get("aspect_ratios_global")))
            .steps(pairs(e.get("steps")))
            .offsets(pairs(e.get("offsets")));
    if (!e.get("scales").isNull()) {
      b.scales(Golden.flat(e.get("scales")));
    }
    if (!e.get("aspect_ratios_per_layer").isNull()) {
      List<List<Double>> ars = new ArrayList<>();
      e.get("aspect_ratios_per_layer")
          .forEach(l -> ars.add(java.util.Arrays.stream(Golden.flat(l)).boxed().toList()));
      b.aspectRatiosPerLayer(ars);
    }
    return b.build();
  }

  /** {@code null}, or per layer {@code null}, a number or a {@code [h, w]} pair. */
  public static List<AxisPair> pairs(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    List<AxisPair> out = new ArrayList<>();
    for (JsonNode n : node) {
      if (n.isNull()) {
        out.add(null);
      } else if (n.isArray()) {
        out.add(AxisPair.of(n.get(0).asDouble(), n.get(1).asDouble()));
      } else {
        out.add(AxisPair.both(n.asDouble()));
      }
    }
    return out;
  }
}
