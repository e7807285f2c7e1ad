package org.grievance.ssd.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TimeBudgetTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void theHorizonIsEstimatedFromTheStepsAfterTheFirstAndRefinedAfterEachEpoch() {
    AtomicLong clock = new AtomicLong();
    TrainConfig config = TrainConfig.builder().epochs(0).minutes(1.75).build(); // 105 s
    TimeBudget budget = TimeBudget.start(config, 4, clock::get);
    assertThat(budget.horizon()).isEqualTo(Long.MAX_VALUE);
    assertThat(budget.secondsPerStep()).isNaN();
    for (int step = 1; step <= 1 + TimeBudget.CALIBRATION_STEPS; step++) {
      clock.set(step * 10 * SECOND);
      budget.afterStep(step, step);
    }
    // Steps 2..6 took 10 s each; 45 s are left at step 6: 4 more steps.
    assertThat(budget.secondsPerStep()).isEqualTo(10);
    assertThat(budget.horizon()).isEqualTo(10);
    assertThat(budget.eta(6, 10)).isEqualTo(40);
    assertThat(budget.exhausted()).isFalse();
    // An epoch of 8 steps in 96 s (overheads included) at 96 s: 12 s a step, 9 s left.
    clock.set(96 * SECOND);
    budget.afterEpoch(96, 8, 8);
    assertThat(budget.secondsPerStep()).isEqualTo(12);
    assertThat(budget.horizon()).isEqualTo(8);
    clock.set(105 * SECOND);
    assertThat(budget.exhausted()).isTrue();
    assertThat(budget.elapsedSeconds()).isEqualTo(105);
  }

  @Test
  void withoutABudgetTheHorizonIsTheEpochLimitAndAResumeContinuesTheClock() {
    AtomicLong clock = new AtomicLong(5 * SECOND);
    TrainConfig epochs = TrainConfig.builder().epochs(3).build();
    TimeBudget budget = TimeBudget.start(epochs, 4, clock::get);
    assertThat(budget.horizon()).isEqualTo(12);
    budget.afterEpoch(50, 4, 4);
    assertThat(budget.horizon()).isEqualTo(12);
    assertThat(budget.secondsPerStep()).isNaN();
    assertThat(budget.exhausted()).isFalse();
    assertThat(budget.eta(4, 2)).isEqualTo(16);

    TrainConfig timed = TrainConfig.builder().epochs(10).minutes(1).build();
    TrainingState saved =
        new TrainingState(
            TrainingState.FORMAT_VERSION,
            2,
            8,
            20,
            1e-3,
            1,
            null,
            null,
            "loss",
            1,
            1,
            1,
            30,
            3,
            timed);
    TimeBudget resumed = TimeBudget.resume(timed, 4, clock::get, saved);
    assertThat(resumed.horizon()).isEqualTo(20);
    assertThat(resumed.secondsPerStep()).isEqualTo(3);
    clock.addAndGet(10 * SECOND);
    assertThat(resumed.elapsedSeconds()).isEqualTo(40);
  }
}
