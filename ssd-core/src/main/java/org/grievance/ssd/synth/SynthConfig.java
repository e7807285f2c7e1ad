package org.grievance.ssd.synth;

/**
 * Everything that decides a synthetic dataset; the same config always gives the same files.
 *
 * <p>Object size is the square root of the box area as a fraction of the shorter image side, drawn
 * log-uniformly from [{@code minObjectSize}, {@code maxObjectSize}] so small and large objects are
 * equally common per octave; the aspect ratio varies per class.
 *
 * @param trainImages images in the train split
 * @param valImages images in the val split
 * @param testImages images in the test split
 * @param height image height in pixels
 * @param width image width in pixels
 * @param seed master seed; each image's seed derives from (seed, split, index)
 * @param minObjects fewest labelled objects attempted per image (placement may drop some)
 * @param maxObjects most labelled objects per image
 * @param minObjectSize smallest object size, fraction of the shorter image side
 * @param maxObjectSize largest object size, fraction of the shorter image side
 * @param occlusionProbability chance that an object gets an occluder drawn over part of it
 * @param minDistractors fewest unlabelled distractor shapes per image
 * @param maxDistractors most unlabelled distractor shapes per image
 * @param lookAlikeFraction share of distractors that resemble a class (manhole cover, sign post,
 *     crate, poster, shadow) rather than generic shapes
 * @param truncationProbability chance that an object is placed partly outside the image
 * @param clutterDensity small clutter items (dots, litter, lines) per 10,000 pixels
 * @param jpegQuality JPEG quality of the written images, in (0, 1]
 * @param look the lighting ({@link SynthLook#DAY} unless a shifted look is wanted)
 */
public record SynthConfig(
    int trainImages,
    int valImages,
    int testImages,
    int height,
    int width,
    long seed,
    int minObjects,
    int maxObjects,
    double minObjectSize,
    double maxObjectSize,
    double occlusionProbability,
    int minDistractors,
    int maxDistractors,
    double lookAlikeFraction,
    double truncationProbability,
    double clutterDensity,
    float jpegQuality,
    SynthLook look) {

  public SynthConfig {
    nonNegative("trainImages", trainImages);
    nonNegative("valImages", valImages);
    nonNegative("testImages", testImages);
    if ((long) trainImages + valImages + testImages == 0) {
      throw new IllegalArgumentException("trainImages + valImages + testImages must be > 0");
    }
    if ((long) trainImages + valImages + testImages > 10_000_000) {
      throw new IllegalArgumentException(
          "at most 10,000,000 images, got " + ((long) trainImages + valImages + testImages));
    }
    range("height", height, 32, 4096);
    range("width", width, 32, 4096);
    range("minObjects", minObjects, 1, 100);
    range("maxObjects", maxObjects, minObjects, 100);
    if (!(minObjectSize > 0 && minObjectSize <= maxObjectSize && maxObjectSize <= 1)) {
      throw new IllegalArgumentException(
          "object sizes need 0 < minObjectSize <= maxObjectSize <= 1, got minObjectSize="
              + minObjectSize
              + ", maxObjectSize="
              + maxObjectSize);
    }
    if (minObjectSize * Math.min(height, width) < 6) {
      throw new IllegalArgumentException(
          "minObjectSize="
              + minObjectSize
              + " gives objects under 6 pixels on a "
              + height
              + "x"
              + width
              + " image");
    }
    probability("occlusionProbability", occlusionProbability);
    range("minDistractors", minDistractors, 0, 200);
    range("maxDistractors", maxDistractors, minDistractors, 200);
    probability("lookAlikeFraction", lookAlikeFraction);
    probability("truncationProbability", truncationProbability);
    if (!(clutterDensity >= 0 && clutterDensity <= 50)) {
      throw new IllegalArgumentException(
          "clutterDensity must be in [0, 50], got " + clutterDensity);
    }
    if (!(jpegQuality > 0 && jpegQuality <= 1)) {
      throw new IllegalArgumentException("jpegQuality must be in (0, 1], got " + jpegQuality);
    }
    java.util.Objects.requireNonNull(look, "look");
  }

  /**
   * Learnable quickly: 1-3 mostly medium-to-large objects (15-50 % of the shorter side), light
   * clutter, few distractors, some occlusion and truncation. A small SSD7 should reach a high VOC07
   * mAP on it in minutes of CPU.
   */
  public static SynthConfig quickstart() {
    return builder().build();
  }

  /**
   * Tells training choices apart: 3-8 objects, about 40 % of them under 32x32 pixels on the default
   * 240x320 image, mostly look-alike distractors, dense clutter, more occlusion and truncation.
   */
  public static SynthConfig hard() {
    return builder()
        .objects(3, 8)
        .objectSize(0.06, 0.42)
        .occlusionProbability(0.35)
        .distractors(3, 8)
        .lookAlikeFraction(0.6)
        .truncationProbability(0.25)
        .clutterDensity(2.0)
        .build();
  }

  /** A builder with the {@link #quickstart()} values. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.trainImages = trainImages;
    b.valImages = valImages;
    b.testImages = testImages;
    b.height = height;
    b.width = width;
    b.seed = seed;
    b.minObjects = minObjects;
    b.maxObjects = maxObjects;
    b.minObjectSize = minObjectSize;
    b.maxObjectSize = maxObjectSize;
    b.occlusionProbability = occlusionProbability;
    b.minDistractors = minDistractors;
    b.maxDistractors = maxDistractors;
    b.lookAlikeFraction = lookAlikeFraction;
    b.truncationProbability = truncationProbability;
    b.clutterDensity = clutterDensity;
    b.jpegQuality = jpegQuality;
    b.look = look;
    return b;
  }

  /** Number of images over all splits. */
  public int totalImages() {
    return trainImages + valImages + testImages;
  }

  /** Images in one split. */
  public int images(SynthSplit split) {
    return switch (split) {
      case TRAIN -> trainImages;
      case VAL -> valImages;
      case TEST -> testImages;
    };
  }

  private static void nonNegative(String field, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + value);
    }
  }

  private static void range(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          field + " must be in [" + min + ", " + max + "], got " + value);
    }
  }

  private static void probability(String field, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(field + " must be in [0, 1], got " + value);
    }
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private int trainImages = 1500;
    private int valImages = 300;
    private int testImages = 300;
    private int height = 240;
    private int width = 320;
    private long seed = 1;
    private int minObjects = 1;
    private int maxObjects = 3;
    private double minObjectSize = 0.15;
    private double maxObjectSize = 0.5;
    private double occlusionProbability = 0.1;
    private int minDistractors = 0;
    private int maxDistractors = 2;
    private double lookAlikeFraction = 0.15;
    private double truncationProbability = 0.1;
    private double clutterDensity = 0.5;
    private float jpegQuality = 0.92f;
    private SynthLook look = SynthLook.DAY;

    private Builder() {}

    public Builder splits(int train, int val, int test) {
      this.trainImages = train;
      this.valImages = val;
      this.testImages = test;
      return this;
    }

    public Builder trainImages(int n) {
      this.trainImages = n;
      return this;
    }

    public Builder valImages(int n) {
      this.valImages = n;
      return this;
    }

    public Builder testImages(int n) {
      this.testImages = n;
      return this;
    }

    public Builder imageSize(int height, int width) {
      this.height = height;
      this.width = width;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder objects(int min, int max) {
      this.minObjects = min;
      this.maxObjects = max;
      return this;
    }

    public Builder objectSize(double min, double max) {
      this.minObjectSize = min;
      this.maxObjectSize = max;
      return this;
    }

    public Builder occlusionProbability(double p) {
      this.occlusionProbability = p;
      return this;
    }

    public Builder distractors(int min, int max) {
      this.minDistractors = min;
      this.maxDistractors = max;
      return this;
    }

    public Builder lookAlikeFraction(double f) {
      this.lookAlikeFraction = f;
      return this;
    }

    public Builder truncationProbability(double p) {
      this.truncationProbability = p;
      return this;
    }

    public Builder clutterDensity(double perTenThousandPixels) {
      this.clutterDensity = perTenThousandPixels;
      return this;
    }

    public Builder look(SynthLook value) {
      this.look = value;
      return this;
    }

    public Builder jpegQuality(float quality) {
      this.jpegQuality = quality;
      return this;
    }

    public SynthConfig build() {
      return new SynthConfig(
          trainImages,
          valImages,
          testImages,
          height,
          width,
          seed,
          minObjects,
          maxObjects,
          minObjectSize,
          maxObjectSize,
          occlusionProbability,
          minDistractors,
          maxDistractors,
          lookAlikeFraction,
          truncationProbability,
          clutterDensity,
          jpegQuality,
          look);
    }
  }
}
