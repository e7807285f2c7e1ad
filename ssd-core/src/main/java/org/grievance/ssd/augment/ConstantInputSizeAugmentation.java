package org.grievance.ssd.augment;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The SSD7 notebook's chain (reference {@code DataAugmentationConstantInputSize}); output size =
 * input size. With probability 1/2 each:
 *
 * <ol>
 *   <li>brightness, contrast, HSV, saturation, hue, RGB, <b>translate, zoom in</b>, flip;
 *   <li>brightness, HSV, saturation, hue, RGB, contrast, <b>zoom out, translate</b>, flip.
 * </ol>
 *
 * Translate and zoom share one {@link BoxFilter} (overlap criterion with {@code boundsBoxFilter},
 * min area 16, degenerate) and one {@link ImageValidator} ({@code boundsValidator}, {@code
 * nBoxesMin}). Works with or without labels.
 */
public final class ConstantInputSizeAugmentation implements Transform {
  /**
   * The chain's parameters, reference defaults in {@link #defaults()}. {@code hue} is {@code (−max,
   * max, prob)}; {@code scale} needs {@code lower < 1 < upper} (zoom-out below 1, zoom-in above).
   */
  public record Config(
      RandomRange brightness,
      RandomRange contrast,
      RandomRange saturation,
      RandomRange hue,
      double flipProb,
      RandomRange translateDy,
      RandomRange translateDx,
      RandomRange scale,
      int nTrialsMax,
      boolean clipBoxes,
      OverlapCriterion overlapCriterion,
      Bounds boundsBoxFilter,
      Bounds boundsValidator,
      int nBoxesMin,
      Background background) {
    public Config {
      Objects.requireNonNull(brightness, "brightness");
      Objects.requireNonNull(contrast, "contrast");
      Objects.requireNonNull(saturation, "saturation");
      Objects.requireNonNull(hue, "hue");
      Objects.requireNonNull(translateDy, "translateDy");
      Objects.requireNonNull(translateDx, "translateDx");
      Objects.requireNonNull(scale, "scale");
      Objects.requireNonNull(overlapCriterion, "overlapCriterion");
      Objects.requireNonNull(boundsBoxFilter, "boundsBoxFilter");
      Objects.requireNonNull(boundsValidator, "boundsValidator");
      Objects.requireNonNull(background, "background");
      Randoms.probability("flipProb", flipProb);
      if (!(scale.lower() < 1 && 1 < scale.upper())) {
        throw new IllegalArgumentException(
            "scale must satisfy lower < 1 < upper, got ("
                + scale.lower()
                + ", "
                + scale.upper()
                + ")");
      }
      if (translateDy.prob() != translateDx.prob()) {
        throw new IllegalArgumentException(
            "translateDy.prob ("
                + translateDy.prob()
                + ") and translateDx.prob ("
                + translateDx.prob()
                + ") must be equal: one draw decides the translation");
      }
    }

    /** The reference defaults. */
    public static Config defaults() {
      return new Config(
          new RandomRange(-48, 48, 0.5),
          new RandomRange(0.5, 1.8, 0.5),
          new RandomRange(0.5, 1.8, 0.5),
          PhotometricChains.hue(18, 0.5),
          0.5,
          new RandomRange(0.03, 0.5, 0.5),
          new RandomRange(0.03, 0.5, 0.5),
          new RandomRange(0.5, 2.0, 0.5),
          3,
          true,
          OverlapCriterion.AREA,
          new Bounds(0.3, 1.0),
          new Bounds(0.5, 1.0),
          1,
          Background.BLACK);
    }

    /** The same chain with every random step firing with probability {@code p}. */
    public Config withProbabilities(double p) {
      return new Config(
          brightness.withProb(p),
          contrast.withProb(p),
          saturation.withProb(p),
          hue.withProb(p),
          p,
          translateDy.withProb(p),
          translateDx.withProb(p),
          scale.withProb(p),
          nTrialsMax,
          clipBoxes,
          overlapCriterion,
          boundsBoxFilter,
          boundsValidator,
          nBoxesMin,
          background);
    }
  }

  private final Config config;
  private final Transform chain;

  public ConstantInputSizeAugmentation(Config config) {
    this.config = Objects.requireNonNull(config, "config");
    BoxFilter filter =
        BoxFilter.builder()
            .overlapCriterion(config.overlapCriterion())
            .overlapBounds(config.boundsBoxFilter())
            .minArea(16)
            .build();
    ImageValidator validator =
        new ImageValidator(config.overlapCriterion(), config.boundsValidator(), config.nBoxesMin());
    RandomRange s = config.scale();
    Transform zoomIn =
        new RandomScale(
            1.0,
            s.upper(),
            s.prob(),
            config.clipBoxes(),
            filter,
            validator,
            config.nTrialsMax(),
            config.background());
    Transform zoomOut =
        new RandomScale(
            s.lower(),
            1.0,
            s.prob(),
            config.clipBoxes(),
            filter,
            validator,
            config.nTrialsMax(),
            config.background());
    RandomRange dy = config.translateDy();
    RandomRange dx = config.translateDx();
    Transform translate =
        new RandomTranslate(
            dy.lower(),
            dy.upper(),
            dx.lower(),
            dx.upper(),
            dy.prob(),
            config.clipBoxes(),
            filter,
            validator,
            config.nTrialsMax(),
            config.background());
    Transform flip = new RandomFlip(Flip.Dim.HORIZONTAL, config.flipProb());
    Transform seq1 =
        new Sequence(
            PhotometricChains.contrastFirst(
                config.brightness(), config.contrast(), config.saturation(), config.hue()),
            translate,
            zoomIn,
            flip);
    Transform seq2 =
        new Sequence(
            PhotometricChains.contrastLast(
                config.brightness(), config.contrast(), config.saturation(), config.hue()),
            zoomOut,
            translate,
            flip);
    this.chain = new OneOf(seq1, seq2);
  }

  public Config config() {
    return config;
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    return chain.apply(in, rng);
  }
}
