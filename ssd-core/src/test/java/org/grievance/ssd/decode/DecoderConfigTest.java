package org.grievance.ssd.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.BoxFormat;
import org.junit.jupiter.api.Test;

class DecoderConfigTest {
  @Test
  void defaultsAreTheReferenceDecodeDetectionsDefaults() {
    DecoderConfig c = DecoderConfig.builder().build();
    assertThat(c.confidenceThreshold()).isEqualTo(0.01);
    assertThat(c.iouThreshold()).isEqualTo(0.45);
    assertThat(c.topK()).isEqualTo(200);
    assertThat(c.hasTopK()).isTrue();
    assertThat(c.coords()).isEqualTo(BoxFormat.CENTROIDS);
    assertThat(c.normalizeCoords()).isTrue();
    assertThat(c.borderPixels()).isEqualTo(BorderPixels.HALF);
    assertThat(c.classNames()).isEmpty();
    assertThat(c.className(7)).isEqualTo("class_7");
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(DecoderConfig.builder().topKAll().build().hasTopK()).isFalse();
    assertThat(DecoderConfig.builder().noNms().build().iouThreshold()).isZero();
  }

  @Test
  void invalidFieldsAreNamedWithTheirValue() {
    assertThatThrownBy(() -> DecoderConfig.builder().confidenceThreshold(1.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidenceThreshold must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> DecoderConfig.builder().confidenceThreshold(Double.NaN).build())
        .hasMessageContaining("confidenceThreshold");
    assertThatThrownBy(() -> DecoderConfig.builder().iouThreshold(-0.1).build())
        .hasMessage("iouThreshold must be in [0, 1], got -0.1");
    assertThatThrownBy(() -> DecoderConfig.builder().topK(0).build())
        .hasMessageContaining("topK must be >= 1")
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> DecoderConfig.builder().coords(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("coords");
    assertThatThrownBy(() -> DecoderConfig.builder().classNames(List.of("cat", " ")).build())
        .hasMessage("classNames[1] (class 2) is blank");
  }

  @Test
  void classThresholdsAreValidatedAndLookedUpFromClassOne() {
    DecoderConfig c =
        DecoderConfig.builder()
            .confidenceThreshold(0.5)
            .classNames(List.of("cat", "dog"))
            .classThresholds(List.of(0.2, 0.8))
            .build();
    assertThat(c.hasClassThresholds()).isTrue();
    assertThat(c.confidenceThreshold(1)).isEqualTo(0.2);
    assertThat(c.confidenceThreshold(2)).isEqualTo(0.8);
    assertThat(c.toBuilder().build()).isEqualTo(c);
    DecoderConfig none = DecoderConfig.builder().confidenceThreshold(0.5).build();
    assertThat(none.hasClassThresholds()).isFalse();
    assertThat(none.confidenceThreshold(2)).isEqualTo(0.5);
    assertThatThrownBy(() -> DecoderConfig.builder().classThresholds(List.of(0.2, 1.5)).build())
        .hasMessage("classThresholds[1] (class 2) must be in [0, 1], got 1.5");
    assertThatThrownBy(
            () ->
                DecoderConfig.builder()
                    .classNames(List.of("cat", "dog"))
                    .classThresholds(List.of(0.2))
                    .build())
        .hasMessage("classThresholds holds 1 thresholds but classNames 2 names");
  }

  @Test
  void classNamesAreCopiedAndLookedUpFromClassOne() {
    List<String> names = new ArrayList<>(List.of("cat", "dog"));
    DecoderConfig c = DecoderConfig.builder().classNames(names).build();
    names.set(0, "changed");
    assertThat(c.className(1)).isEqualTo("cat");
    assertThat(c.className(2)).isEqualTo("dog");
    assertThatThrownBy(() -> c.className(3)).hasMessageContaining("class id 3 has no name");
  }

  @Test
  void boxDecoderValidatesAnchorsAndVariances() {
    double[] v = {0.1, 0.1, 0.2, 0.2};
    assertThatThrownBy(() -> new BoxDecoder(new double[5], v, BoxFormat.CENTROIDS))
        .hasMessageContaining("length 5");
    assertThatThrownBy(
            () -> new BoxDecoder(new double[] {0, 0, Double.NaN, 1}, v, BoxFormat.CENTROIDS))
        .hasMessage("anchor 0 coordinate 2 is not finite: NaN");
    assertThatThrownBy(
            () -> new BoxDecoder(new double[4], new double[] {0.1, 0, 0.2, 0.2}, BoxFormat.CORNERS))
        .hasMessage("variances[1] must be positive and finite, got 0.0");
    assertThatThrownBy(() -> new BoxDecoder(new double[4], new double[3], BoxFormat.CORNERS))
        .hasMessageContaining("variances must hold 4 numbers");
  }
}
