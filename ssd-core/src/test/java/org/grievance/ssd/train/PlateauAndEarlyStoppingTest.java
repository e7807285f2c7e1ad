package org.grievance.ssd.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PlateauAndEarlyStoppingTest {
  @Test
  void plateauReducesAfterPatienceEpochsWithoutImprovementBeyondMinDelta() {
    ReduceLrOnPlateau p =
        new ReduceLrOnPlateau(
            new PlateauConfig(0.2, 2, 0.01, 1e-5, 0), ReduceLrOnPlateau.State.initial());
    assertThat(p.onEpochEnd(1.0, 1e-3)).isFalse(); // improves on +inf
    assertThat(p.onEpochEnd(0.995, 1e-3)).isFalse(); // within min_delta: not an improvement (1)
    assertThat(p.onEpochEnd(0.995, 1e-3)).isTrue(); // (2) = patience: reduce
    assertThat(p.multiplier()).isCloseTo(0.2, within(1e-12));
    assertThat(p.state().badEpochs()).isZero();
    assertThat(p.onEpochEnd(0.5, 1e-3)).isFalse(); // real improvement resets
    assertThat(p.state().best()).isEqualTo(0.5);
  }

  @Test
  void plateauNeverGoesBelowMinLrAndStopsReducingThere() {
    ReduceLrOnPlateau p =
        new ReduceLrOnPlateau(
            new PlateauConfig(0.2, 1, 0, 1e-5, 0), ReduceLrOnPlateau.State.initial());
    p.onEpochEnd(1, 1e-4);
    assertThat(p.onEpochEnd(1, 1e-4)).isTrue(); // 1e-4 -> 2e-5
    assertThat(p.onEpochEnd(1, 1e-4)).isTrue(); // 2e-5 -> max(4e-6, 1e-5) = 1e-5
    assertThat(1e-4 * p.multiplier()).isCloseTo(1e-5, within(1e-15));
    assertThat(p.onEpochEnd(1, 1e-4)).isFalse(); // at min_lr
    assertThat(1e-4 * p.multiplier()).isCloseTo(1e-5, within(1e-15));
  }

  @Test
  void plateauCooldownSkipsCountingAfterAReduction() {
    ReduceLrOnPlateau p =
        new ReduceLrOnPlateau(
            new PlateauConfig(0.5, 1, 0, 0, 2), ReduceLrOnPlateau.State.initial());
    p.onEpochEnd(1, 1);
    assertThat(p.onEpochEnd(1, 1)).isTrue();
    // As in Keras: the counter is decremented first, and the epoch that brings it to 0 already
    // counts towards patience.
    assertThat(p.onEpochEnd(1, 1)).isFalse(); // cooldown 2 -> 1, not counted
    assertThat(p.onEpochEnd(1, 1)).isTrue(); // cooldown 1 -> 0, counted: patience 1 reached
    assertThat(p.multiplier()).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void referencePlateauSettings() {
    PlateauConfig c = PlateauConfig.reference();
    assertThat(c).isEqualTo(new PlateauConfig(0.2, 8, 0.001, 1e-5, 0));
    assertThatThrownBy(() -> new PlateauConfig(1.0, 8, 0, 0, 0))
        .hasMessageContaining("plateau factor must be in (0, 1), got 1.0");
    assertThatThrownBy(() -> new PlateauConfig(0.5, 0, 0, 0, 0))
        .hasMessageContaining("plateau patience must be >= 1, got 0");
  }

  @Test
  void earlyStoppingStopsAfterPatienceNonImprovingEpochs() {
    EarlyStopping e =
        new EarlyStopping(new EarlyStoppingConfig(3, 0), EarlyStopping.State.initial());
    assertThat(e.onEpochEnd(1.0)).isFalse();
    assertThat(e.onEpochEnd(0.9)).isFalse();
    assertThat(e.onEpochEnd(0.9)).isFalse(); // equal is not better (min_delta 0)
    assertThat(e.onEpochEnd(Double.NaN)).isFalse(); // NaN never improves
    assertThat(e.onEpochEnd(0.95)).isTrue();
    assertThat(e.state()).isEqualTo(new EarlyStopping.State(0.9, 3));
    assertThat(EarlyStoppingConfig.reference()).isEqualTo(new EarlyStoppingConfig(10, 0.0));
  }

  @Test
  void earlyStoppingResumesFromSavedCounters() {
    EarlyStopping e =
        new EarlyStopping(new EarlyStoppingConfig(3, 0), new EarlyStopping.State(0.5, 2));
    assertThat(e.onEpochEnd(0.6)).isTrue();
  }
}
