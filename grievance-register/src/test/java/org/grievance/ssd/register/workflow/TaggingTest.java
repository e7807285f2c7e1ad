package org.grievance.ssd.register.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.grievance.ssd.decode.Detection;
import org.junit.jupiter.api.Test;

class TaggingTest {
  private static Detection det(int id, String name, double score) {
    return new Detection(id, name, score, 0, 0, 10, 10);
  }

  private static final List<Detection> DETECTIONS =
      List.of(det(1, "pothole", 0.6), det(2, "streetlight", 0.35), det(1, "pothole", 0.4));

  @Test
  void eachClassIsHeldToItsOwnThreshold() {
    // Streetlights are told apart at a low score, potholes only at a high one.
    TagThresholds model = TagThresholds.of(null, Map.of("pothole", 0.7, "streetlight", 0.3));
    assertThat(Tagging.categories(DETECTIONS, model))
        .containsExactly(Map.entry("streetlight", 0.35));
    // One global 0.5 would keep the pothole and lose the streetlight.
    assertThat(Tagging.categories(DETECTIONS, 0.5)).containsExactly(Map.entry("pothole", 0.6));
  }

  @Test
  void anExplicitThresholdHoldsEveryClassToIt() {
    TagThresholds explicit = TagThresholds.of(0.3, Map.of("pothole", 0.7, "streetlight", 0.9));
    assertThat(explicit.of("pothole")).isEqualTo(0.3);
    assertThat(Tagging.categories(DETECTIONS, explicit))
        .containsExactly(Map.entry("pothole", 0.6), Map.entry("streetlight", 0.35));
  }

  @Test
  void classesWithoutAThresholdOfTheirOwnUseTheDefault() {
    TagThresholds model = TagThresholds.of(null, Map.of("streetlight", 0.9));
    assertThat(model.of("pothole")).isEqualTo(TagThresholds.DEFAULT);
    assertThat(Tagging.categories(DETECTIONS, model)).containsExactly(Map.entry("pothole", 0.6));
    assertThat(Tagging.categories(List.of(det(2, "streetlight", 0.5)), model))
        .containsOnlyKeys(Tagging.UNTAGGED);
  }

  @Test
  void thresholdsAreValidated() {
    assertThatThrownBy(() -> TagThresholds.of(null, Map.of("pothole", 1.5)))
        .hasMessage("tag threshold of pothole must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> TagThresholds.uniform(-0.1))
        .hasMessage("tag threshold must be in [0, 1], got -0.1");
  }
}
