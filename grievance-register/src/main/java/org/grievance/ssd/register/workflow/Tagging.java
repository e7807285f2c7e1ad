package org.grievance.ssd.register.workflow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grievance.ssd.decode.Detection;

/** Turns detections into a grievance's categories. */
public final class Tagging {
  /** The category of a grievance in which nothing was detected over the threshold. */
  public static final String UNTAGGED = "untagged";

  private Tagging() {}

  /**
   * The classes detected with at least {@code threshold} score, each with its best score, best
   * first; {@link #UNTAGGED} (score null) when there are none.
   */
  public static Map<String, Double> categories(List<Detection> detections, double threshold) {
    return categories(detections, TagThresholds.uniform(threshold));
  }

  /**
   * The classes detected with at least their class's threshold, each with its best score, best
   * first; {@link #UNTAGGED} (score null) when there are none.
   */
  public static Map<String, Double> categories(
      List<Detection> detections, TagThresholds thresholds) {
    Map<String, Double> best = new LinkedHashMap<>();
    detections.stream()
        .filter(d -> d.score() >= thresholds.of(d.className()))
        .sorted((a, b) -> Double.compare(b.score(), a.score()))
        .forEach(d -> best.merge(d.className(), d.score(), Math::max));
    if (best.isEmpty()) {
      best.put(UNTAGGED, null);
    }
    return best;
  }
}
