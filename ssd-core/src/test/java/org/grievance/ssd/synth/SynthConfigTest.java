package org.grievance.ssd.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SynthConfigTest {
  @Test
  void presetsAreValidAndDiffer() {
    SynthConfig quick = SynthConfig.quickstart();
    SynthConfig hard = SynthConfig.hard();
    assertThat(hard.maxObjects()).isGreaterThan(quick.maxObjects());
    assertThat(hard.minObjectSize()).isLessThan(quick.minObjectSize());
    assertThat(hard.clutterDensity()).isGreaterThan(quick.clutterDensity());
    assertThat(quick.toBuilder().build()).isEqualTo(quick);
    assertThat(quick.totalImages()).isEqualTo(2100);
  }

  @Test
  void invalidValuesNameTheField() {
    assertThatThrownBy(() -> SynthConfig.builder().splits(0, 0, 0).build())
        .hasMessageContaining("trainImages + valImages + testImages");
    assertThatThrownBy(() -> SynthConfig.builder().trainImages(-1).build())
        .hasMessageContaining("trainImages")
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> SynthConfig.builder().imageSize(10, 100).build())
        .hasMessageContaining("height");
    assertThatThrownBy(() -> SynthConfig.builder().objects(3, 2).build())
        .hasMessageContaining("maxObjects");
    assertThatThrownBy(() -> SynthConfig.builder().objectSize(0.5, 0.2).build())
        .hasMessageContaining("minObjectSize");
    assertThatThrownBy(() -> SynthConfig.builder().imageSize(40, 40).objectSize(0.05, 0.5).build())
        .hasMessageContaining("under 6 pixels");
    assertThatThrownBy(() -> SynthConfig.builder().occlusionProbability(1.5).build())
        .hasMessageContaining("occlusionProbability");
    assertThatThrownBy(() -> SynthConfig.builder().distractors(2, 1).build())
        .hasMessageContaining("maxDistractors");
    assertThatThrownBy(() -> SynthConfig.builder().clutterDensity(Double.NaN).build())
        .hasMessageContaining("clutterDensity");
    assertThatThrownBy(() -> SynthConfig.builder().jpegQuality(0).build())
        .hasMessageContaining("jpegQuality");
  }
}
