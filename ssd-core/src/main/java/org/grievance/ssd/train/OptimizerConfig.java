package org.grievance.ssd.train;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Objects;

/**
 * The optimizer: Adam (the SSD7 reference: lr 1e-3, betas 0.9/0.999, epsilon 1e-8) or SGD with
 * momentum (the SSD300 reference: momentum 0.9, no Nesterov). The learning rate comes from the
 * trainer's schedule, not from here.
 *
 * @param kind which optimizer
 * @param beta1 Adam's first-moment decay, in [0, 1)
 * @param beta2 Adam's second-moment decay, in [0, 1)
 * @param epsilon Adam's denominator guard, {@code > 0}
 * @param momentum SGD momentum, in [0, 1)
 */
public record OptimizerConfig(
    OptimizerKind kind, double beta1, double beta2, double epsilon, double momentum) {

  /** The two supported optimizers. */
  public enum OptimizerKind {
    ADAM,
    SGD
  }

  /** Validates every field. */
  public OptimizerConfig {
    Objects.requireNonNull(kind, "optimizer kind must not be null");
    unitInterval("beta1", beta1);
    unitInterval("beta2", beta2);
    unitInterval("momentum", momentum);
    if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
      throw new IllegalArgumentException(
          "optimizer epsilon must be finite and > 0, got " + epsilon);
    }
  }

  private static void unitInterval(String field, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException("optimizer " + field + " must be in [0, 1), got " + value);
    }
  }

  /** Adam with the reference's settings. */
  public static OptimizerConfig adam() {
    return new OptimizerConfig(OptimizerKind.ADAM, 0.9, 0.999, 1e-8, 0.9);
  }

  /** SGD with momentum 0.9. */
  public static OptimizerConfig sgd() {
    return new OptimizerConfig(OptimizerKind.SGD, 0.9, 0.999, 1e-8, 0.9);
  }

  /** {@link #adam()} or {@link #sgd()}. */
  public static OptimizerConfig of(OptimizerKind kind) {
    return switch (kind) {
      case ADAM -> adam();
      case SGD -> sgd();
    };
  }

  /** A DJL optimizer reading its learning rate from {@code learningRate}. */
  public Optimizer build(ParameterTracker learningRate) {
    return switch (kind) {
      case ADAM ->
          Optimizer.adam()
              .optLearningRateTracker(learningRate)
              .optBeta1((float) beta1)
              .optBeta2((float) beta2)
              .optEpsilon((float) epsilon)
              .build();
      case SGD ->
          Optimizer.sgd()
              .setLearningRateTracker(learningRate)
              .optMomentum((float) momentum)
              .build();
    };
  }
}
