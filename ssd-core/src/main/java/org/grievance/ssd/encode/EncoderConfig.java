package org.grievance.ssd.encode;

import java.util.Objects;
import org.grievance.ssd.box.BorderPixels;

/**
 * Matching parameters of the input encoder (the anchors come from an {@link
 * org.grievance.ssd.anchor.AnchorConfig}).
 *
 * @param nClasses number of object classes C; class ids {@code 1..C} (background excluded)
 * @param matchingType {@link MatchingType#MULTI} (default) or bipartite only
 * @param posIouThreshold IoU an anchor needs ({@code >=}) to become positive in the multi stage
 * @param negIouLimit unmatched anchors whose best IoU is {@code >=} this become neutral (ignored by
 *     the loss) instead of background
 * @param borderPixels pixel border convention for the ground-truth width and the IoU
 * @param backgroundId class id written for background anchors (0 in every reference config)
 * @param outsideBoxPolicy what to do with a box entirely outside the image
 */
public record EncoderConfig(
    int nClasses,
    MatchingType matchingType,
    double posIouThreshold,
    double negIouLimit,
    BorderPixels borderPixels,
    int backgroundId,
    OutsideBoxPolicy outsideBoxPolicy) {

  public EncoderConfig {
    if (nClasses < 1) {
      throw new IllegalArgumentException("nClasses must be at least 1, but is " + nClasses);
    }
    Objects.requireNonNull(matchingType, "matchingType");
    Objects.requireNonNull(borderPixels, "borderPixels");
    Objects.requireNonNull(outsideBoxPolicy, "outsideBoxPolicy");
    // Zero thresholds would make every anchor (IoU 0 included) positive or neutral.
    if (!(posIouThreshold > 0 && posIouThreshold <= 1)) {
      throw new IllegalArgumentException(
          "posIouThreshold must be in (0, 1], but is " + posIouThreshold);
    }
    if (!(negIouLimit > 0 && negIouLimit <= 1)) {
      throw new IllegalArgumentException("negIouLimit must be in (0, 1], but is " + negIouLimit);
    }
    if (backgroundId != 0) {
      throw new IllegalArgumentException(
          "backgroundId must be 0 (class ids 1..nClasses are objects), but is " + backgroundId);
    }
  }

  /**
   * A builder with the reference defaults: multi matching, positive IoU 0.5, neutral limit 0.3,
   * border 'half', background 0, boxes outside the image rejected.
   */
  public static Builder builder(int nClasses) {
    return new Builder(nClasses);
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(nClasses)
        .matchingType(matchingType)
        .posIouThreshold(posIouThreshold)
        .negIouLimit(negIouLimit)
        .borderPixels(borderPixels)
        .outsideBoxPolicy(outsideBoxPolicy);
  }

  /** Builder for {@link EncoderConfig}. */
  public static final class Builder {
    private final int nClasses;
    private MatchingType matchingType = MatchingType.MULTI;
    private double posIouThreshold = 0.5;
    private double negIouLimit = 0.3;
    private BorderPixels borderPixels = BorderPixels.HALF;
    private OutsideBoxPolicy outsideBoxPolicy = OutsideBoxPolicy.REJECT;

    private Builder(int nClasses) {
      this.nClasses = nClasses;
    }

    public Builder matchingType(MatchingType value) {
      this.matchingType = value;
      return this;
    }

    public Builder posIouThreshold(double value) {
      this.posIouThreshold = value;
      return this;
    }

    public Builder negIouLimit(double value) {
      this.negIouLimit = value;
      return this;
    }

    public Builder borderPixels(BorderPixels value) {
      this.borderPixels = value;
      return this;
    }

    public Builder outsideBoxPolicy(OutsideBoxPolicy value) {
      this.outsideBoxPolicy = value;
      return this;
    }

    public EncoderConfig build() {
      return new EncoderConfig(
          nClasses, matchingType, posIouThreshold, negIouLimit, borderPixels, 0, outsideBoxPolicy);
    }
  }
}
