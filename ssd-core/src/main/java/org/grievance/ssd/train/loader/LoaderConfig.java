package org.grievance.ssd.train.loader;

import java.util.List;
import java.util.Objects;
import org.grievance.ssd.augment.Bounds;
import org.grievance.ssd.augment.BoxFilter;
import org.grievance.ssd.augment.OverlapCriterion;
import org.grievance.ssd.augment.Transform;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.encode.SsdInputEncoder;

/**
 * Everything that decides what a {@link DetectionBatchSource} delivers. Build it with {@link
 * #builder}; the defaults suit training (shuffle, drop the last partial batch); {@link
 * Builder#forValidation()} switches to a fixed order with every image.
 *
 * @param samples the images and their ground truth, in dataset order
 * @param imageHeight model input height {@code H}; must equal the encoder's
 * @param imageWidth model input width {@code W}; must equal the encoder's
 * @param batchSize images per batch
 * @param shuffle a new permutation per epoch seed, else dataset order
 * @param dropLast drop the last batch when it would be smaller than {@code batchSize} (training);
 *     otherwise deliver it smaller (validation: every image counts)
 * @param workers loader threads
 * @param prefetch batches built ahead of the one the consumer holds; one buffer set each
 * @param augmentation applied after the resize to {@code H×W}, or {@code null} for none. {@link
 *     Transform}s are immutable and thread-safe by contract, so one instance serves every worker;
 *     it must keep the {@code H×W} size (e.g. {@link
 *     org.grievance.ssd.augment.ConstantInputSizeAugmentation})
 * @param encoder turns each image's boxes into per-anchor targets
 * @param keepImagesWithoutObjects keep images without ground truth (all-background targets);
 *     otherwise they are left out of the epoch, and so is an image whose boxes all disappear in
 *     augmentation or filtering (the reference's {@code keep_images_without_gt})
 * @param boxFilter applied to the labels after augmentation, before encoding
 * @param cacheDecodedImages decode and resize each image once and keep the result in memory
 * @param cacheBudgetBytes the most memory the image cache may take; above it the cache is disabled
 *     with a log line
 */
public record LoaderConfig(
    List<Sample> samples,
    int imageHeight,
    int imageWidth,
    int batchSize,
    boolean shuffle,
    boolean dropLast,
    int workers,
    int prefetch,
    Transform augmentation,
    SsdInputEncoder encoder,
    boolean keepImagesWithoutObjects,
    BoxFilter boxFilter,
    boolean cacheDecodedImages,
    long cacheBudgetBytes) {

  /** Most batches that may be prefetched: each one holds a full set of batch arrays. */
  public static final int MAX_PREFETCH = 16;

  /** Default cache budget: 2 GiB. */
  public static final long DEFAULT_CACHE_BUDGET = 2L << 30;

  /**
   * The default filter: the reference generator's degenerate-box removal ({@code xmax > xmin},
   * {@code ymax > ymin}) plus removal of boxes with no area inside the image. The reference keeps
   * the latter and its encoder then matches them to anchor 0 (a quirk); our encoder would reject
   * them, and a box the model cannot see teaches it nothing.
   */
  public static BoxFilter defaultBoxFilter() {
    return BoxFilter.builder()
        .checkMinArea(false)
        .overlapCriterion(OverlapCriterion.AREA)
        .overlapBounds(new Bounds(0, 1))
        .build();
  }

  public LoaderConfig {
    samples = List.copyOf(Objects.requireNonNull(samples, "LoaderConfig.samples"));
    Objects.requireNonNull(encoder, "LoaderConfig.encoder");
    Objects.requireNonNull(boxFilter, "LoaderConfig.boxFilter");
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("LoaderConfig.samples must not be empty");
    }
    positive("imageHeight", imageHeight);
    positive("imageWidth", imageWidth);
    positive("batchSize", batchSize);
    positive("workers", workers);
    if (prefetch < 1 || prefetch > MAX_PREFETCH) {
      throw new IllegalArgumentException(
          "LoaderConfig.prefetch must be in 1.." + MAX_PREFETCH + ", got " + prefetch);
    }
    if (cacheBudgetBytes < 0) {
      throw new IllegalArgumentException(
          "LoaderConfig.cacheBudgetBytes must be >= 0, got " + cacheBudgetBytes);
    }
    if (imageHeight != encoder.imageHeight() || imageWidth != encoder.imageWidth()) {
      throw new IllegalArgumentException(
          "LoaderConfig.imageHeight x imageWidth is "
              + imageHeight
              + "x"
              + imageWidth
              + " but the encoder's anchors are for "
              + encoder.imageHeight()
              + "x"
              + encoder.imageWidth());
    }
    int usable = keepImagesWithoutObjects ? samples.size() : countWithObjects(samples);
    if (usable == 0) {
      throw new IllegalArgumentException(
          "LoaderConfig.samples: none of the "
              + samples.size()
              + " images has an object; set keepImagesWithoutObjects to use them");
    }
    if (dropLast && usable < batchSize) {
      throw new IllegalArgumentException(
          "LoaderConfig: only "
              + usable
              + " usable images for batchSize "
              + batchSize
              + " with dropLast, so an epoch would have no batch");
    }
  }

  /** A builder for {@code samples} encoded by {@code encoder}, at the encoder's input size. */
  public static Builder builder(List<Sample> samples, SsdInputEncoder encoder) {
    return new Builder(samples, encoder);
  }

  /** A builder over the images of {@code dataset}. */
  public static Builder builder(Dataset dataset, SsdInputEncoder encoder) {
    return new Builder(dataset.samples(), encoder);
  }

  /** The samples an epoch draws from: all, or those with objects. */
  List<Sample> usableSamples() {
    return keepImagesWithoutObjects
        ? samples
        : samples.stream().filter(s -> !s.objects().isEmpty()).toList();
  }

  private static int countWithObjects(List<Sample> samples) {
    int n = 0;
    for (Sample s : samples) {
      if (!s.objects().isEmpty()) {
        n++;
      }
    }
    return n;
  }

  private static void positive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("LoaderConfig." + field + " must be > 0, got " + value);
    }
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private final List<Sample> samples;
    private final SsdInputEncoder encoder;
    private int imageHeight;
    private int imageWidth;
    private int batchSize = 16;
    private boolean shuffle = true;
    private boolean dropLast = true;
    private int workers = Runtime.getRuntime().availableProcessors();
    private int prefetch = 3;
    private Transform augmentation;
    private boolean keepImagesWithoutObjects;
    private BoxFilter boxFilter = defaultBoxFilter();
    private boolean cacheDecodedImages;
    private long cacheBudgetBytes = DEFAULT_CACHE_BUDGET;

    private Builder(List<Sample> samples, SsdInputEncoder encoder) {
      this.samples = samples;
      this.encoder = Objects.requireNonNull(encoder, "encoder");
      this.imageHeight = encoder.imageHeight();
      this.imageWidth = encoder.imageWidth();
    }

    /** Fixed order, every image including a smaller last batch, no augmentation. */
    public Builder forValidation() {
      shuffle = false;
      dropLast = false;
      augmentation = null;
      return this;
    }

    public Builder inputSize(int height, int width) {
      imageHeight = height;
      imageWidth = width;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder shuffle(boolean v) {
      shuffle = v;
      return this;
    }

    public Builder dropLast(boolean v) {
      dropLast = v;
      return this;
    }

    public Builder workers(int v) {
      workers = v;
      return this;
    }

    public Builder prefetch(int v) {
      prefetch = v;
      return this;
    }

    /** {@code null} for none. */
    public Builder augmentation(Transform v) {
      augmentation = v;
      return this;
    }

    public Builder keepImagesWithoutObjects(boolean v) {
      keepImagesWithoutObjects = v;
      return this;
    }

    public Builder boxFilter(BoxFilter v) {
      boxFilter = v;
      return this;
    }

    public Builder cacheDecodedImages(boolean v) {
      cacheDecodedImages = v;
      return this;
    }

    public Builder cacheBudgetBytes(long v) {
      cacheBudgetBytes = v;
      return this;
    }

    public LoaderConfig build() {
      return new LoaderConfig(
          samples,
          imageHeight,
          imageWidth,
          batchSize,
          shuffle,
          dropLast,
          workers,
          prefetch,
          augmentation,
          encoder,
          keepImagesWithoutObjects,
          boxFilter,
          cacheDecodedImages,
          cacheBudgetBytes);
    }
  }
}
