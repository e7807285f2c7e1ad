package org.grievance.ssd.train;

import java.util.List;
import java.util.Objects;

/**
 * The learning-rate schedule as data (for {@code training-state.json}).
 *
 * @param kind constant, multi-step or cosine
 * @param lr the base rate, {@code > 0}
 * @param milestones steps at which a multi-step schedule multiplies by {@code factor} (ascending,
 *     {@code > 0})
 * @param factor the multi-step factor, in (0, 1]
 * @param floor the rate cosine ends at, in [0, lr]
 * @param warmupSteps linear warm-up steps, {@code >= 0}
 */
public record ScheduleConfig(
    Kind kind, double lr, List<Long> milestones, double factor, double floor, long warmupSteps) {

  /** The schedule shapes. */
  public enum Kind {
    CONSTANT,
    MULTI_STEP,
    COSINE
  }

  /** Validates every field. */
  public ScheduleConfig {
    Objects.requireNonNull(kind, "schedule kind must not be null");
    milestones = List.copyOf(Objects.requireNonNull(milestones, "milestones must not be null"));
    if (!(lr > 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException("schedule lr must be finite and > 0, got " + lr);
    }
    if (!(factor > 0 && factor <= 1)) {
      throw new IllegalArgumentException("schedule factor must be in (0, 1], got " + factor);
    }
    if (!(floor >= 0 && floor <= lr)) {
      throw new IllegalArgumentException(
          "schedule floor must be in [0, lr=" + lr + "], got " + floor);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("schedule warmupSteps must be >= 0, got " + warmupSteps);
    }
    long previous = 0;
    for (int i = 0; i < milestones.size(); i++) {
      long m = milestones.get(i);
      if (m <= previous) {
        throw new IllegalArgumentException(
            "schedule milestones must be ascending and > 0, got " + milestones + " at index " + i);
      }
      previous = m;
    }
  }

  /** A constant rate. */
  public static ScheduleConfig constant(double lr) {
    return new ScheduleConfig(Kind.CONSTANT, lr, List.of(), 0.1, 0, 0);
  }

  /** {@code lr × 0.1} at each milestone. */
  public static ScheduleConfig multiStep(double lr, List<Long> milestones) {
    return new ScheduleConfig(Kind.MULTI_STEP, lr, milestones, 0.1, 0, 0);
  }

  /** Cosine from {@code lr} to {@code floor} over the run's horizon. */
  public static ScheduleConfig cosine(double lr, double floor) {
    return new ScheduleConfig(Kind.COSINE, lr, List.of(), 0.1, floor, 0);
  }

  /** This schedule with a linear warm-up of {@code steps}. */
  public ScheduleConfig withWarmup(long steps) {
    return new ScheduleConfig(kind, lr, milestones, factor, floor, steps);
  }

  /** The schedule function. */
  public LearningRateSchedule build() {
    LearningRateSchedule base =
        switch (kind) {
          case CONSTANT -> new ConstantSchedule(lr);
          case MULTI_STEP -> new MultiStepSchedule(lr, milestones, factor);
          case COSINE -> new CosineSchedule(lr, floor);
        };
    return warmupSteps == 0 ? base : new WarmupSchedule(base, warmupSteps);
  }
}
