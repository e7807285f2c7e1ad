package org.grievance.ssd.encode;

import java.util.Arrays;

/**
 * A growing pool of {@code (anchor, IoU)} entries: each ground-truth box's IoU row, sparse (only
 * the anchors that overlap it), stored as one range of the pool. Reused from image to image, so it
 * only allocates while it grows.
 */
final class SparseIous {
  int[] anchor = new int[1024];
  double[] iou = new double[1024];

  /** Entries in use, at the start of the pool. */
  int size;

  /** Makes room for {@code more} entries after the {@link #size} ones. */
  void ensureRoom(int more) {
    if (size + more > anchor.length) {
      int cap = Math.max(size + more, 2 * anchor.length);
      anchor = Arrays.copyOf(anchor, cap);
      iou = Arrays.copyOf(iou, cap);
    }
  }
}
