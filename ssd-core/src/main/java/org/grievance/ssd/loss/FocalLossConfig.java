package org.grievance.ssd.loss;

/**
 * The classification term of Lin et al.'s focal loss ("Focal Loss for Dense Object Detection",
 * 2017) on softmax probabilities: every non-neutral anchor contributes {@code −α_t·(1 − p_t)^γ·log
 * p_t}, with {@code p_t} the softmax probability of its target class and {@code α_t = alpha} for
 * object anchors, {@code 1 − alpha} for background anchors. No hard negative mining: the {@code (1
 * − p_t)^γ} factor down-weights the many easy background anchors instead.
 *
 * <p>With {@code gamma = 0} the term is {@code α_t}-weighted cross-entropy; with {@code gamma = 0}
 * and {@link #NO_ALPHA} it is exactly the cross-entropy (over all anchors, not mined ones).
 *
 * @param alpha weight of object anchors in {@code [0, 1]} (background anchors get {@code 1 −
 *     alpha}), or {@link #NO_ALPHA} for no class balancing (every anchor weighted 1)
 * @param gamma focusing parameter {@code >= 0}; 0 turns the modulating factor off
 * @param priorProbability the probability mass the class heads give all object classes together at
 *     initialisation ({@code π} of the paper, in {@code (0, 1)}), or 0 to keep the heads' zero
 *     biases. See {@link org.grievance.ssd.model.SsdHeads#setClassPrior(double)}
 */
public record FocalLossConfig(double alpha, double gamma, double priorProbability) {
  /** The paper's α. */
  public static final double DEFAULT_ALPHA = 0.25;

  /** The paper's γ. */
  public static final double DEFAULT_GAMMA = 2.0;

  /** The paper's prior π for the class-head bias initialisation. */
  public static final double DEFAULT_PRIOR = 0.01;

  /** {@code alpha} value that switches α-balancing off (torchvision's convention). */
  public static final double NO_ALPHA = -1;

  /** Validates every field. */
  public FocalLossConfig {
    if (alpha != NO_ALPHA && !(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException(
          "focal alpha must be in [0, 1], or -1 for no class balancing, got " + alpha);
    }
    if (!(gamma >= 0) || !Double.isFinite(gamma)) {
      throw new IllegalArgumentException("focal gamma must be finite and >= 0, got " + gamma);
    }
    if (!(priorProbability >= 0 && priorProbability < 1)) {
      throw new IllegalArgumentException(
          "focal priorProbability must be in (0, 1), or 0 for no bias initialisation, got "
              + priorProbability);
    }
  }

  /** The paper's settings: {@code alpha 0.25, gamma 2, prior 0.01}. */
  public static FocalLossConfig defaults() {
    return new FocalLossConfig(DEFAULT_ALPHA, DEFAULT_GAMMA, DEFAULT_PRIOR);
  }

  /** Whether object and background anchors are weighted {@code alpha} and {@code 1 − alpha}. */
  public boolean balanced() {
    return alpha != NO_ALPHA;
  }

  /** This configuration with another {@code alpha}. */
  public FocalLossConfig withAlpha(double value) {
    return new FocalLossConfig(value, gamma, priorProbability);
  }

  /** This configuration with another {@code gamma}. */
  public FocalLossConfig withGamma(double value) {
    return new FocalLossConfig(alpha, value, priorProbability);
  }

  /** This configuration with another prior ({@code 0}: no bias initialisation). */
  public FocalLossConfig withPriorProbability(double value) {
    return new FocalLossConfig(alpha, gamma, value);
  }
}
