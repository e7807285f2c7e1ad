package org.grievance.ssd.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  @Test
  void constantIgnoresStepAndHorizon() {
    LearningRateSchedule s = ScheduleConfig.constant(0.003).build();
    assertThat(s.rate(0, 10)).isEqualTo(0.003);
    assertThat(s.rate(1_000_000, Long.MAX_VALUE)).isEqualTo(0.003);
  }

  @Test
  void multiStepMultipliesByATenthAtEachMilestone() {
    // The SSD300 reference: 1e-3 until 80k, 1e-4 until 100k, then 1e-5.
    LearningRateSchedule s = ScheduleConfig.multiStep(1e-3, List.of(80_000L, 100_000L)).build();
    assertThat(s.rate(79_999, 0)).isCloseTo(1e-3, within(1e-15));
    assertThat(s.rate(80_000, 0)).isCloseTo(1e-4, within(1e-15));
    assertThat(s.rate(99_999, 0)).isCloseTo(1e-4, within(1e-15));
    assertThat(s.rate(100_000, 0)).isCloseTo(1e-5, within(1e-15));
  }

  @Test
  void cosineGoesFromRateToFloorOverTheHorizon() {
    LearningRateSchedule s = ScheduleConfig.cosine(0.1, 0.01).build();
    assertThat(s.rate(0, 100)).isCloseTo(0.1, within(1e-12));
    assertThat(s.rate(50, 100)).isCloseTo(0.055, within(1e-12)); // halfway: mean of the ends
    // quarter: floor + (lr - floor)(1 + cos(pi/4))/2
    assertThat(s.rate(25, 100)).isCloseTo(0.01 + 0.09 * (1 + Math.sqrt(0.5)) / 2, within(1e-12));
    assertThat(s.rate(100, 100)).isCloseTo(0.01, within(1e-12));
    assertThat(s.rate(150, 100)).isCloseTo(0.01, within(1e-12));
    assertThat(s.rate(10, Long.MAX_VALUE)).isEqualTo(0.1);
  }

  @Test
  void warmupRampsLinearlyThenHandsOver() {
    LearningRateSchedule s = ScheduleConfig.constant(0.01).withWarmup(4).build();
    assertThat(s.rate(0, 0)).isCloseTo(0.0025, within(1e-12));
    assertThat(s.rate(1, 0)).isCloseTo(0.005, within(1e-12));
    assertThat(s.rate(3, 0)).isCloseTo(0.01, within(1e-12));
    assertThat(s.rate(4, 0)).isCloseTo(0.01, within(1e-12));

    LearningRateSchedule c = ScheduleConfig.cosine(0.1, 0).withWarmup(10).build();
    double cos2 = 0.1 * (1 + Math.cos(Math.PI * 2 / 100)) / 2;
    assertThat(c.rate(2, 100)).isCloseTo(cos2 * 3 / 10, within(1e-12));
    assertThat(c.rate(60, 100)).isCloseTo(0.1 * (1 + Math.cos(Math.PI * 0.6)) / 2, within(1e-12));

    // Milestones keep their absolute position under warm-up.
    LearningRateSchedule m = ScheduleConfig.multiStep(1, List.of(5L)).withWarmup(2).build();
    assertThat(m.rate(0, 0)).isCloseTo(0.5, within(1e-12));
    assertThat(m.rate(5, 0)).isCloseTo(0.1, within(1e-12));
  }

  @Test
  void warmupIsCappedAtATenthOfAKnownHorizon() {
    LearningRateSchedule c = ScheduleConfig.constant(0.01).withWarmup(200).build();
    // Horizon 160 (a short time budget): the warm-up shrinks to 16 steps instead of eating the run.
    assertThat(c.rate(7, 160)).isCloseTo(0.01 * 8 / 16, within(1e-12));
    assertThat(c.rate(16, 160)).isCloseTo(0.01, within(1e-12));
    // Unknown horizon: the configured length.
    assertThat(c.rate(16, Long.MAX_VALUE)).isCloseTo(0.01 * 17 / 200, within(1e-12));
  }

  @Test
  void invalidSchedulesAreRejectedNamingTheField() {
    assertThatThrownBy(() -> ScheduleConfig.constant(0))
        .hasMessageContaining("schedule lr must be finite and > 0, got 0.0");
    assertThatThrownBy(() -> ScheduleConfig.cosine(0.1, 0.2))
        .hasMessageContaining("schedule floor must be in [0, lr=0.1], got 0.2");
    assertThatThrownBy(() -> ScheduleConfig.multiStep(0.1, List.of(10L, 5L)))
        .hasMessageContaining("ascending")
        .hasMessageContaining("index 1");
    assertThatThrownBy(() -> ScheduleConfig.constant(0.1).withWarmup(-1))
        .hasMessageContaining("warmupSteps must be >= 0, got -1");
  }

  @Test
  void controllerFeedsTheRateToDjlWhateverItsUpdateCount() {
    LearningRateController c = new LearningRateController(0.5);
    c.set(0.25);
    assertThat(c.getNewValue(1)).isEqualTo(0.25f);
    assertThat(c.getNewValue("w", 999)).isEqualTo(0.25f);
    assertThatThrownBy(() -> c.set(Double.NaN)).hasMessageContaining("got NaN");
  }
}
