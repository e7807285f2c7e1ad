package org.grievance.ssd.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MobileNetV2BaseTest {
  @Test
  void channelCountsAreRoundedToMultiplesOfEight() {
    assertThat(MobileNetV2Base.makeDivisible(32 * 0.35)).isEqualTo(16);
    assertThat(MobileNetV2Base.makeDivisible(24 * 0.5)).isEqualTo(16);
  }
}
