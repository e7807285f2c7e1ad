package org.grievance.ssd.augment;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The original SSD training augmentation (reference {@code SSDDataAugmentation}):
 *
 * <ol>
 *   <li>photometric distortions in one of two orders (1/2 each): brightness ±32, contrast 0.5–1.5,
 *       saturation 0.5–1.5, hue ±18, each with probability 0.5; channel swap with probability 0;
 *   <li>expand (probability 0.5): the image on a canvas 1–4× larger (one factor for both axes)
 *       filled with the background (mean) colour, at a random position;
 *   <li>random crop ({@link RandomPatchInf}, probability 0.857 per round): patch scale 0.3–1 per
 *       axis, aspect ratio 0.5–2, at least one box with IoU in {@code (lower, 1]}, {@code lower}
 *       drawn from {0, 0.1, 0.3, 0.5, 0.7, 0.9}; boxes whose centre leaves the patch are dropped;
 *   <li>horizontal flip (probability 0.5);
 *   <li>resize to {@code height × width} with a random interpolation mode, degenerate boxes
 *       dropped.
 * </ol>
 *
 * Bug fixed (docs/reference-behaviour.md#quirk-18-the-ssd-chains-inverter): the sample's {@link
 * Labeled#inverter()} undoes the whole chain (crop, expand and resize) in the right order.
 */
public final class SsdAugmentation implements Transform {
  /** Output size and padding colour; defaults 300×300 and the ImageNet mean. */
  public record Config(int height, int width, Background background) {
    public Config {
      if (height <= 0 || width <= 0) {
        throw new IllegalArgumentException(
            "output size must be positive, got " + height + "x" + width + " (HxW)");
      }
      Objects.requireNonNull(background, "background");
    }

    public static Config defaults() {
      return new Config(300, 300, Background.SSD_MEAN);
    }
  }

  private final Config config;
  private final Transform chain;

  public SsdAugmentation(Config config) {
    this.config = Objects.requireNonNull(config, "config");
    RandomRange brightness = new RandomRange(-32, 32, 0.5);
    RandomRange contrast = new RandomRange(0.5, 1.5, 0.5);
    RandomRange saturation = new RandomRange(0.5, 1.5, 0.5);
    RandomRange hue = PhotometricChains.hue(18, 0.5);
    Transform photometric =
        new Sequence(
            new OneOf(
                PhotometricChains.contrastFirst(brightness, contrast, saturation, hue),
                PhotometricChains.contrastLast(brightness, contrast, saturation, hue)),
            new Photometric(new RandomChannelSwap(0.0)));
    Transform expand =
        new RandomPatch(
            PatchCoordinateGenerator.builder().scale(1.0, 4.0).scaleUniformly(true).build(),
            null,
            null,
            1,
            false,
            0.5,
            config.background(),
            false);
    Transform crop =
        new RandomPatchInf(
            PatchCoordinateGenerator.builder().scale(0.3, 1.0).aspectRatio(0.5, 2.0).build(),
            BoxFilter.builder().checkMinArea(false).checkDegenerate(false).build(),
            new ImageValidator(OverlapCriterion.IOU, new Bounds(0.3, 1.0), 1),
            new BoundGenerator(
                List.of(
                    new Bounds(0, 1),
                    new Bounds(0.1, 1),
                    new Bounds(0.3, 1),
                    new Bounds(0.5, 1),
                    new Bounds(0.7, 1),
                    new Bounds(0.9, 1)),
                null),
            50,
            true,
            0.857,
            config.background(),
            RandomPatchInf.DEFAULT_MAX_ROUNDS);
    this.chain =
        new Sequence(
            photometric,
            expand,
            crop,
            new RandomFlip(Flip.Dim.HORIZONTAL, 0.5),
            new ResizeRandomInterp(config.height(), config.width(), BoxFilter.degenerateOnly()));
  }

  public Config config() {
    return config;
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    return chain.apply(in, rng);
  }
}
