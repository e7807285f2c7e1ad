package org.grievance.ssd.train;

import java.util.Iterator;

/**
 * Delivers the batches of one epoch at a time. Implementations may use loader threads; {@link
 * #close()} stops them. Every batch has the image size and anchor count reported here.
 *
 * <p><b>Batch lifetime.</b> A {@link Batch} delivered by {@code next()} is valid until the consumer
 * calls {@code hasNext()} or {@code next()} again on that iterator, starts another epoch, or closes
 * the source; after that the source may overwrite its arrays (loaders recycle a fixed set of
 * buffers). {@link Trainer} honours this: each step copies the batch into NDArrays ({@code
 * NDManager.create} copies) and completes, loss read back included, before the loop asks for the
 * next batch.
 */
public interface BatchSource extends AutoCloseable {

  /**
   * The batches of one epoch, in an order determined by {@code epochSeed} (a source that shuffles
   * must give the same order for the same seed, so that resumed runs see the same data order). The
   * trainer may abandon the iterator before its end (time budget, errors); starting another epoch
   * may stop the abandoned one and invalidates its batches.
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
