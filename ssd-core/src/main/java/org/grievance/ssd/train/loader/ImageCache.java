package org.grievance.ssd.train.loader;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.grievance.ssd.augment.Labeled;

/**
 * The decoded, resized images (with their resized labels) of a data set, filled on first use. Each
 * entry is written by whichever worker first loads that image; since loading is deterministic, a
 * race between two workers could only store equal values.
 */
final class ImageCache {
  /** Per-image overhead beyond the pixels: object headers, label rows, the array slot. */
  static final long OVERHEAD_PER_IMAGE = 256;

  private final AtomicReferenceArray<Labeled> entries;

  ImageCache(int images) {
    entries = new AtomicReferenceArray<>(images);
  }

  /** Estimated heap for {@code images} RGB images of {@code height × width}. */
  static long estimateBytes(int images, int height, int width) {
    return images * (3L * height * width + OVERHEAD_PER_IMAGE);
  }

  Labeled get(int index) {
    return entries.get(index);
  }

  void put(int index, Labeled value) {
    entries.set(index, value);
  }
}
