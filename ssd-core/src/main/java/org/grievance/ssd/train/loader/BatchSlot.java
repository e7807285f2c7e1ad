package org.grievance.ssd.train.loader;

import java.util.Arrays;
import org.grievance.ssd.train.Batch;

/**
 * One reusable set of batch arrays, sized for a full batch, and the bookkeeping of the batch being
 * built in it. The scheduling fields are guarded by the lock of the {@link EpochRun} using the
 * slot; the arrays are written by the worker owning a position and read by the consumer once every
 * position is done (the lock orders the two).
 */
final class BatchSlot {
  final float[] images;
  final int[] classIds;
  final float[] offsets;
  final boolean[] kept;
  private final int capacity;
  private final int imageHeight;
  private final int imageWidth;
  private final int anchors;

  /** The batch this slot is assigned to, or -1 when none (past the end of the epoch). */
  int batch = -1;

  /** Images in the assigned batch. */
  int size;

  /** Positions of the assigned batch not finished yet. */
  int remaining;

  /** The first failure of the batch by position, or {@code null}. */
  Throwable failure;

  private int failurePosition;

  BatchSlot(int capacity, int imageHeight, int imageWidth, int anchors) {
    this.capacity = capacity;
    this.imageHeight = imageHeight;
    this.imageWidth = imageWidth;
    this.anchors = anchors;
    images = new float[capacity * 3 * imageHeight * imageWidth];
    classIds = new int[capacity * anchors];
    offsets = new float[capacity * anchors * 4];
    kept = new boolean[capacity];
  }

  /** Bytes held by one slot of these dimensions. */
  static long bytes(int capacity, int imageHeight, int imageWidth, int anchors) {
    return 4L * capacity * (3L * imageHeight * imageWidth + 5L * anchors) + capacity;
  }

  /** Starts building {@code batch} of {@code size} images (or marks the slot unused: -1). */
  void assign(int batch, int size) {
    this.batch = batch;
    this.size = size;
    this.remaining = size;
    this.failure = null;
    this.failurePosition = Integer.MAX_VALUE;
    Arrays.fill(kept, false);
  }

  boolean ready(int batch) {
    return this.batch == batch && remaining == 0;
  }

  /** Records a failure, keeping the one at the lowest position (deterministic across threads). */
  void fail(int position, Throwable error) {
    if (position < failurePosition) {
      failure = error;
      failurePosition = position;
    }
  }

  int keptCount() {
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (kept[i]) {
        n++;
      }
    }
    return n;
  }

  /**
   * The finished batch: the slot's own arrays for a full batch; exact-size copies of the kept
   * images when the batch is smaller (the last batch of an epoch, or images were dropped), since a
   * {@link Batch}'s arrays have exactly its size.
   */
  Batch toBatch() {
    int n = keptCount();
    if (n == capacity) {
      return new Batch(n, imageHeight, imageWidth, anchors, images, classIds, offsets);
    }
    int pixels = 3 * imageHeight * imageWidth;
    float[] img = new float[n * pixels];
    int[] ids = new int[n * anchors];
    float[] off = new float[n * anchors * 4];
    int k = 0;
    for (int i = 0; i < size; i++) {
      if (kept[i]) {
        System.arraycopy(images, i * pixels, img, k * pixels, pixels);
        System.arraycopy(classIds, i * anchors, ids, k * anchors, anchors);
        System.arraycopy(offsets, i * anchors * 4, off, k * anchors * 4, anchors * 4);
        k++;
      }
    }
    return new Batch(n, imageHeight, imageWidth, anchors, img, ids, off);
  }
}
