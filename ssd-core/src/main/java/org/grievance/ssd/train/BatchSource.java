package org.grievance.ssd.train;

import java.util.Iterator;

/**
 * Delivers the batches of one epoch at a time. Implementations may use loader threads; {@link
 * #close()} stops them. Every batch has the image size and anchor count reported here.
 */
public interface BatchSource extends AutoCloseable {

  /**
   * The batches of one epoch, in an order determined by {@code epochSeed} (a source that shuffles
   * must give the same order for the same seed, so that resumed runs see the same data order). The
   * trainer may abandon the iterator before its end (time budget, errors).
   */
  Iterator<Batch> epoch(long epochSeed);

  /** How many batches {@link #epoch(long)} yields. */
  int batchesPerEpoch();

  /** Height {@code H} of every image. */
  int imageHeight();

  /** Width {@code W} of every image. */
  int imageWidth();

  /** Anchors per image {@code N}. */
  int anchorCount();

  /** Releases loader threads and buffers; the default does nothing. */
  @Override
  default void close() {}
}
