package org.grievance.ssd.train;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Map;

/**
 * The rate of each update and its way into DJL's optimizer: the schedule's rate at the global step
 * and horizon, times the plateau reduction's multiplier, times the linear ramp of {@link
 * TrainConfig#resumeWarmupSteps()} after a resume (the optimizer's moments start from zero then),
 * set before each step into the {@link LearningRateController} the optimizer reads, with each
 * parameter's multiplier where the model sets one.
 */
final class EffectiveLearningRate {
  private final LearningRateSchedule schedule;
  private final ReduceLrOnPlateau plateau;
  private final boolean resumed;
  private final int resumeWarmupSteps;
  private final LearningRateController controller;

  /**
   * @param plateauState the saved plateau counters of a resumed run, or {@code null} for fresh ones
   * @param resumed whether the session continues a run (then the rate ramps up again)
   */
  EffectiveLearningRate(
      TrainConfig config,
      ReduceLrOnPlateau.State plateauState,
      boolean resumed,
      long globalStep,
      long horizon) {
    this.schedule = config.schedule().build();
    this.plateau =
        config.plateau() == null
            ? null
            : new ReduceLrOnPlateau(
                config.plateau(),
                plateauState != null ? plateauState : ReduceLrOnPlateau.State.initial());
    this.resumed = resumed;
    this.resumeWarmupSteps = config.resumeWarmupSteps();
    this.controller = new LearningRateController(rate(globalStep, horizon, 0));
  }

  /** The rate of the update after {@code globalStep} updates, {@code sessionSteps} this session. */
  double rate(long globalStep, long horizon, long sessionSteps) {
    double rate = schedule.rate(globalStep, horizon);
    if (plateau != null) {
      rate *= plateau.multiplier();
    }
    if (resumed && sessionSteps < resumeWarmupSteps) {
      rate *= (sessionSteps + 1.0) / resumeWarmupSteps;
    }
    return rate;
  }

  /** Sets the rate of the next update. */
  void set(double rate) {
    controller.set(rate);
  }

  /** The rate of the last update. */
  float current() {
    return controller.get();
  }

  /**
   * The run's optimizer, reading the rate from here times {@code multipliers} (by parameter id).
   */
  Optimizer optimizer(OptimizerConfig config, Map<String, Double> multipliers) {
    if (multipliers.isEmpty()) {
      return config.build(controller);
    }
    ParameterTracker scaled =
        (parameterId, updates) ->
            (float)
                (controller.getNewValue(parameterId, updates)
                    * multipliers.getOrDefault(parameterId, 1.0));
    return config.build(scaled);
  }

  /**
   * Feeds the epoch's monitored {@code metric} to the plateau reduction; whether it reduced the
   * rate.
   */
  boolean onEpochEnd(double metric, long globalStep, long horizon) {
    return plateau != null && plateau.onEpochEnd(metric, schedule.rate(globalStep, horizon));
  }

  /** The plateau reduction's factor, 1 without one. */
  double plateauMultiplier() {
    return plateau == null ? 1.0 : plateau.multiplier();
  }

  /** The plateau counters to save, {@code null} without plateau reduction. */
  ReduceLrOnPlateau.State plateauState() {
    return plateau == null ? null : plateau.state();
  }
}
