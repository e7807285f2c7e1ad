package org.grievance.ssd.train.loader;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.grievance.ssd.augment.BoxFilter;
import org.grievance.ssd.augment.Labeled;
import org.grievance.ssd.augment.Resize;
import org.grievance.ssd.augment.Transform;
import org.grievance.ssd.data.ObjectBox;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.encode.SsdInputEncoder;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;

/**
 * The work for one image: read, resize to the model input (labels scaled by the augment package's
 * {@link Resize}, so the rounding is the reference's), augment, filter boxes, encode into a batch
 * slot and convert the pixels from interleaved bytes to planar floats. Stateless apart from the
 * optional cache, so every worker shares one instance.
 */
final class SamplePipeline {
  private final List<Sample> samples;
  private final int height;
  private final int width;
  private final Resize resize;
  private final Transform augmentation;
  private final BoxFilter boxFilter;
  private final boolean keepEmpty;
  private final SsdInputEncoder encoder;
  private final ImageCache cache;

  SamplePipeline(LoaderConfig config, List<Sample> samples, ImageCache cache) {
    this.samples = samples;
    this.height = config.imageHeight();
    this.width = config.imageWidth();
    this.resize = new Resize(height, width);
    this.augmentation = config.augmentation();
    this.boxFilter = config.boxFilter();
    this.keepEmpty = config.keepImagesWithoutObjects();
    this.encoder = config.encoder();
    this.cache = cache;
  }

  /**
   * The random source of image {@code index} in the epoch with {@code epochSeed}: a function of
   * both alone, so augmentation does not depend on which thread runs it or when.
   */
  static SplittableRandom random(long epochSeed, int index) {
    return new SplittableRandom(mix(mix(epochSeed) + index));
  }

  /** SplitMix64's finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Loads image {@code index}, resized to the model input with its labels; from the cache when
   * there is one.
   */
  Labeled load(int index) throws IOException {
    if (cache != null) {
      Labeled cached = cache.get(index);
      if (cached != null) {
        return cached;
      }
    }
    Sample sample = samples.get(index);
    RgbImage image = ImageFiles.read(sample.imagePath());
    Labeled resized = resize.apply(Labeled.of(image, labels(sample)), null);
    if (cache != null) {
      cache.put(index, resized);
    }
    return resized;
  }

  /**
   * The final labels of image {@code index}, flattened to rows of 5, after augmentation and box
   * filtering, with the final image; {@code null} when the image is dropped (an augmentation step
   * rejected it, or it has no boxes left and empty images are not kept).
   */
  Labeled prepare(int index, long epochSeed) throws IOException {
    Labeled sample = load(index);
    if (augmentation != null) {
      sample = augmentation.apply(sample, random(epochSeed, index));
      if (sample == null) {
        return null;
      }
      if (sample.height() != height || sample.width() != width) {
        throw new IllegalStateException(
            "augmentation produced a "
                + sample.height()
                + "x"
                + sample.width()
                + " image, expected the model input size "
                + height
                + "x"
                + width
                + " (HxW)");
      }
    }
    double[][] kept = boxFilter.filter(sample.labels(), height, width);
    if (kept.length == 0 && !keepEmpty) {
      return null;
    }
    return kept.length == sample.labels().length
        ? sample
        : new Labeled(sample.image(), kept, sample.inverter());
  }

  /**
   * Prepares image {@code index} into position {@code position} of {@code slot}.
   *
   * @return whether the image was kept (else the slot position is left as it was)
   * @throws SampleLoadException naming the image for any failure
   */
  boolean fill(int index, long epochSeed, BatchSlot slot, int position) {
    Sample sample = samples.get(index);
    try {
      Labeled prepared = prepare(index, epochSeed);
      if (prepared == null) {
        return false;
      }
      int anchors = encoder.anchorCount();
      encoder.encodeInto(
          flatten(prepared.labels()),
          slot.classIds,
          position * anchors,
          slot.offsets,
          position * anchors * 4);
      toPlanar(prepared.image().data(), slot.images, position * 3 * height * width);
      return true;
    } catch (IOException | RuntimeException e) {
      throw new SampleLoadException(sample.imageId(), sample.imagePath(), e);
    }
  }

  /** Label rows {@code (class, xmin, ymin, xmax, ymax)} of a data-set sample. */
  static double[][] labels(Sample sample) {
    List<ObjectBox> objects = sample.objects();
    double[][] rows = new double[objects.size()][];
    for (int i = 0; i < rows.length; i++) {
      ObjectBox o = objects.get(i);
      rows[i] = new double[] {o.classId(), o.xmin(), o.ymin(), o.xmax(), o.ymax()};
    }
    return rows;
  }

  static double[] flatten(double[][] rows) {
    double[] flat = new double[rows.length * Labeled.ROW];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * Labeled.ROW, Labeled.ROW);
    }
    return flat;
  }

  /** Interleaved RGB bytes ({@code HWC}) to planar floats 0–255 ({@code CHW}) at {@code offset}. */
  static void toPlanar(byte[] hwc, float[] out, int offset) {
    int plane = hwc.length / 3;
    int r = offset;
    int g = offset + plane;
    int b = offset + 2 * plane;
    for (int p = 0, i = 0; p < plane; p++, i += 3) {
      out[r + p] = hwc[i] & 0xFF;
      out[g + p] = hwc[i + 1] & 0xFF;
      out[b + p] = hwc[i + 2] & 0xFF;
    }
  }
}
