package org.grievance.ssd.loss;

import java.util.Objects;

/**
 * Parameters of {@link SsdLoss}. Defaults ({@link #defaults()}) are the reference's {@code
 * SSDLoss(neg_pos_ratio=3, n_neg_min=0, alpha=1.0)} with batch-wide mining.
 *
 * @param negPosRatio at most this many hard negatives per positive anchor (0 disables negatives
 *     unless {@code nNegMin > 0})
 * @param nNegMin at least this many hard negatives (if that many have a non-zero loss), so that
 *     batches without positives still learn background
 * @param alpha weight of the localisation term relative to the classification term
 * @param mining where hard negatives are chosen; {@link NegativeMining#BATCH} (the default) matches
 *     the reference, {@link NegativeMining#PER_IMAGE} the paper
 * @param focal {@code null} (the default) for the reference's cross-entropy on positives and hard
 *     negatives; otherwise the focal loss on every non-neutral anchor replaces that term, and
 *     {@code negPosRatio}, {@code nNegMin} and {@code mining} are unused. {@code alpha} stays the
 *     weight of the localisation term (the focal α is {@link FocalLossConfig#alpha()})
 */
public record SsdLossConfig(
    int negPosRatio, int nNegMin, double alpha, NegativeMining mining, FocalLossConfig focal) {
  /** The reference's default ratio of negatives to positives. */
  public static final int DEFAULT_NEG_POS_RATIO = 3;

  /** The reference's default minimum number of negatives. */
  public static final int DEFAULT_N_NEG_MIN = 0;

  /** The reference's default localisation weight. */
  public static final double DEFAULT_ALPHA = 1.0;

  /** Batch-wide mining by default: the reference does it, and golden vectors check it. */
  public static final NegativeMining DEFAULT_MINING = NegativeMining.BATCH;

  /** Validates every field. */
  public SsdLossConfig {
    if (negPosRatio < 0) {
      throw new IllegalArgumentException("negPosRatio must be >= 0, got " + negPosRatio);
    }
    if (nNegMin < 0) {
      throw new IllegalArgumentException("nNegMin must be >= 0, got " + nNegMin);
    }
    if (!Double.isFinite(alpha) || alpha < 0) {
      throw new IllegalArgumentException("alpha must be finite and >= 0, got " + alpha);
    }
    Objects.requireNonNull(mining, "mining must not be null");
  }

  /** The reference's loss (no focal term). */
  public SsdLossConfig(int negPosRatio, int nNegMin, double alpha, NegativeMining mining) {
    this(negPosRatio, nNegMin, alpha, mining, null);
  }

  /** Whether the classification term is the focal loss (no hard negative mining). */
  public boolean usesFocalLoss() {
    return focal != null;
  }

  /** {@code negPosRatio 3, nNegMin 0, alpha 1.0, mining BATCH}. */
  public static SsdLossConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder()
        .negPosRatio(negPosRatio)
        .nNegMin(nNegMin)
        .alpha(alpha)
        .mining(mining)
        .focal(focal);
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private int negPosRatio = DEFAULT_NEG_POS_RATIO;
    private int nNegMin = DEFAULT_N_NEG_MIN;
    private double alpha = DEFAULT_ALPHA;
    private NegativeMining mining = DEFAULT_MINING;
    private FocalLossConfig focal;

    private Builder() {}

    /** See {@link SsdLossConfig#negPosRatio()}. */
    public Builder negPosRatio(int value) {
      this.negPosRatio = value;
      return this;
    }

    /** See {@link SsdLossConfig#nNegMin()}. */
    public Builder nNegMin(int value) {
      this.nNegMin = value;
      return this;
    }

    /** See {@link SsdLossConfig#alpha()}. */
    public Builder alpha(double value) {
      this.alpha = value;
      return this;
    }

    /** See {@link SsdLossConfig#mining()}. */
    public Builder mining(NegativeMining value) {
      this.mining = value;
      return this;
    }

    /** See {@link SsdLossConfig#focal()}; {@code null} for the reference's mined cross-entropy. */
    public Builder focal(FocalLossConfig value) {
      this.focal = value;
      return this;
    }

    /** The validated configuration. */
    public SsdLossConfig build() {
      return new SsdLossConfig(negPosRatio, nNegMin, alpha, mining, focal);
    }
  }
}
