package org.grievance.ssd.augment;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The reference's {@code DataAugmentationVariableInputSize}: brightness, contrast, HSV, saturation,
 * hue, RGB; then a random patch (width scale {@code minScale–maxScale} of the image width, aspect
 * ratio {@code minAspectRatio–maxAspectRatio}; larger than the image means padding) validated like
 * {@link ConstantInputSizeAugmentation}; a horizontal flip; and a resize to {@code resizeHeight ×
 * resizeWidth} dropping boxes below 16 px² or degenerate.
 *
 * <p>Bug fixed (docs/reference-behaviour.md#quirk-7-patch-ops-need-labels): works without labels.
 */
public final class VariableInputSizeAugmentation implements Transform {
  /** The chain's parameters; reference defaults in {@link #defaults(int, int)}. */
  public record Config(
      int resizeHeight,
      int resizeWidth,
      RandomRange brightness,
      RandomRange contrast,
      RandomRange saturation,
      RandomRange hue,
      double flipProb,
      double minScale,
      double maxScale,
      double minAspectRatio,
      double maxAspectRatio,
      int nTrialsMax,
      boolean clipBoxes,
      OverlapCriterion overlapCriterion,
      Bounds boundsBoxFilter,
      Bounds boundsValidator,
      int nBoxesMin,
      Background background) {
    public Config {
      if (resizeHeight <= 0 || resizeWidth <= 0) {
        throw new IllegalArgumentException(
            "resize size must be positive, got " + resizeHeight + "x" + resizeWidth + " (HxW)");
      }
      Objects.requireNonNull(brightness, "brightness");
      Objects.requireNonNull(contrast, "contrast");
      Objects.requireNonNull(saturation, "saturation");
      Objects.requireNonNull(hue, "hue");
      Objects.requireNonNull(overlapCriterion, "overlapCriterion");
      Objects.requireNonNull(boundsBoxFilter, "boundsBoxFilter");
      Objects.requireNonNull(boundsValidator, "boundsValidator");
      Objects.requireNonNull(background, "background");
      Randoms.probability("flipProb", flipProb);
    }

    public static Config defaults(int resizeHeight, int resizeWidth) {
      return new Config(
          resizeHeight,
          resizeWidth,
          new RandomRange(-48, 48, 0.5),
          new RandomRange(0.5, 1.8, 0.5),
          new RandomRange(0.5, 1.8, 0.5),
          PhotometricChains.hue(18, 0.5),
          0.5,
          0.3,
          2.0,
          0.5,
          2.0,
          3,
          true,
          OverlapCriterion.AREA,
          new Bounds(0.3, 1.0),
          new Bounds(0.5, 1.0),
          1,
          Background.BLACK);
    }
  }

  private final Config config;
  private final Transform chain;

  public VariableInputSizeAugmentation(Config config) {
    this.config = Objects.requireNonNull(config, "config");
    BoxFilter patchFilter =
        BoxFilter.builder()
            .checkMinArea(false)
            .checkDegenerate(false)
            .overlapCriterion(config.overlapCriterion())
            .overlapBounds(config.boundsBoxFilter())
            .build();
    ImageValidator validator =
        new ImageValidator(config.overlapCriterion(), config.boundsValidator(), config.nBoxesMin());
    PatchCoordinateGenerator generator =
        PatchCoordinateGenerator.builder()
            .mustMatch(PatchCoordinateGenerator.MustMatch.W_AR)
            .scale(config.minScale(), config.maxScale())
            .aspectRatio(config.minAspectRatio(), config.maxAspectRatio())
            .build();
    this.chain =
        new Sequence(
            PhotometricChains.contrastFirst(
                config.brightness(), config.contrast(), config.saturation(), config.hue()),
            new RandomPatch(
                generator,
                patchFilter,
                validator,
                config.nTrialsMax(),
                config.clipBoxes(),
                1.0,
                config.background(),
                false),
            new RandomFlip(Flip.Dim.HORIZONTAL, config.flipProb()),
            new Resize(
                config.resizeHeight(),
                config.resizeWidth(),
                Interpolation.LINEAR,
                BoxFilter.builder().checkOverlap(false).build()));
  }

  public Config config() {
    return config;
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    return chain.apply(in, rng);
  }
}
