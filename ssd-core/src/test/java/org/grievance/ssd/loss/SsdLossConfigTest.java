package org.grievance.ssd.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SsdLossConfigTest {
  @Test
  void defaultsAreTheReferencesWithBatchMining() {
    SsdLossConfig c = SsdLossConfig.defaults();
    assertThat(c.negPosRatio()).isEqualTo(3);
    assertThat(c.nNegMin()).isZero();
    assertThat(c.alpha()).isEqualTo(1.0);
    assertThat(c.mining()).isEqualTo(NegativeMining.BATCH);
  }

  @Test
  void builderRoundTrips() {
    SsdLossConfig c =
        SsdLossConfig.builder()
            .negPosRatio(5)
            .nNegMin(7)
            .alpha(0.25)
            .mining(NegativeMining.PER_IMAGE)
            .build();
    assertThat(c).isEqualTo(new SsdLossConfig(5, 7, 0.25, NegativeMining.PER_IMAGE));
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }

  @Test
  void rejectsInvalidFieldsNamingThem() {
    assertThatThrownBy(() -> SsdLossConfig.builder().negPosRatio(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("negPosRatio must be >= 0, got -1");
    assertThatThrownBy(() -> SsdLossConfig.builder().nNegMin(-2).build())
        .hasMessage("nNegMin must be >= 0, got -2");
    assertThatThrownBy(() -> SsdLossConfig.builder().alpha(-0.5).build())
        .hasMessage("alpha must be finite and >= 0, got -0.5");
    assertThatThrownBy(() -> SsdLossConfig.builder().alpha(Double.NaN).build())
        .hasMessage("alpha must be finite and >= 0, got NaN");
    assertThatThrownBy(() -> SsdLossConfig.builder().mining(null).build())
        .hasMessage("mining must not be null");
  }
}
