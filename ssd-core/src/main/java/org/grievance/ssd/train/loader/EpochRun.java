package org.grievance.ssd.train.loader;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.grievance.ssd.train.Batch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One epoch being loaded: the iterator the consumer reads and the loop the workers run.
 *
 * <p>Work is handed out one image at a time, in epoch order: task {@code t} is position {@code t %
 * B} of batch {@code t / B}. Batch {@code k} is built in slot {@code k % R} of a ring of {@code R =
 * prefetch + 1} slots; a worker whose batch's slot is still held by batch {@code k − R} waits until
 * the consumer releases it. So at most {@code prefetch} batches are built ahead of the one the
 * consumer holds, and memory stays fixed.
 *
 * <p>Every image's result depends only on (epoch seed, image), and the consumer takes batches in
 * order, so batches are identical whatever the thread count. A failure is reported the same way:
 * the batches before the failing one are delivered, then the first failure of that batch (by
 * position) is thrown; workers take no task beyond that batch.
 */
final class EpochRun implements Iterator<Batch> {
  private static final Logger LOG = LoggerFactory.getLogger(EpochRun.class);

  private final SamplePipeline pipeline;
  private final BatchSlot[] ring;
  private final int[] order;
  private final long epochSeed;
  private final int batchSize;
  private final int batches;
  private final int tasks;
  private final Object lock = new Object();

  // Guarded by lock.
  private int nextTask;
  private int failedBatch = Integer.MAX_VALUE;
  private boolean cancelled;
  private String cancelReason;
  private int workersAlive;

  // Consumer side (one consumer thread), also under lock: a cancelled run must not touch slots.
  private int nextBatch;
  private BatchSlot held;
  private BatchSlot staged;
  private Throwable failure;

  EpochRun(
      SamplePipeline pipeline,
      BatchSlot[] ring,
      int[] order,
      long epochSeed,
      int batchSize,
      int batches) {
    this.pipeline = pipeline;
    this.ring = ring;
    this.order = order;
    this.epochSeed = epochSeed;
    this.batchSize = batchSize;
    this.batches = batches;
    this.tasks = Math.min(order.length, batches * batchSize);
    for (int s = 0; s < ring.length; s++) {
      assign(ring[s], s);
    }
  }

  /** Submits {@code workers} worker loops to {@code pool}. */
  void start(ExecutorService pool, int workers) {
    synchronized (lock) {
      workersAlive = workers;
    }
    for (int i = 0; i < workers; i++) {
      try {
        pool.execute(this::work);
      } catch (RejectedExecutionException e) {
        synchronized (lock) {
          workersAlive -= workers - i;
        }
        cancel("the loader's thread pool refused work (closed source)");
        throw new IllegalStateException("the batch source is closed", e);
      }
    }
  }

  private void assign(BatchSlot slot, int batch) {
    if (batch < batches) {
      slot.assign(batch, Math.min(batchSize, tasks - batch * batchSize));
    } else {
      slot.assign(-1, 0);
    }
  }

  private void work() {
    try {
      while (true) {
        int t;
        int batch;
        BatchSlot slot;
        synchronized (lock) {
          if (cancelled || nextTask >= tasks || nextTask / batchSize > failedBatch) {
            return;
          }
          t = nextTask++;
          batch = t / batchSize;
          slot = ring[batch % ring.length];
          while (slot.batch != batch && !cancelled) {
            lock.wait();
          }
          if (cancelled) {
            return;
          }
        }
        int position = t % batchSize;
        boolean kept = false;
        Throwable error = null;
        try {
          kept = pipeline.fill(order[t], epochSeed, slot, position);
        } catch (Throwable e) { // anything, so that the consumer is told instead of waiting forever
          error = e;
        }
        synchronized (lock) {
          slot.kept[position] = kept;
          if (error != null) {
            slot.fail(position, error);
            failedBatch = Math.min(failedBatch, batch);
          }
          if (--slot.remaining == 0) {
            lock.notifyAll();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      synchronized (lock) {
        workersAlive--;
        lock.notifyAll();
      }
    }
  }

  /**
   * Releases the batch handed out last (its arrays may now be rewritten) and waits until the next
   * batch is ready.
   *
   * @throws SampleLoadException if an image of the next batch failed
   * @throws IllegalStateException if this epoch was cancelled (a newer epoch or {@code close()})
   */
  @Override
  public boolean hasNext() {
    synchronized (lock) {
      release();
      if (failure != null) {
        throw rethrow(failure);
      }
      if (staged != null) {
        if (cancelled) {
          throw stopped();
        }
        return true;
      }
      while (nextBatch < batches) {
        BatchSlot slot = ring[nextBatch % ring.length];
        awaitReady(slot);
        if (slot.failure != null) {
          failure = slot.failure;
          cancelLocked("an image failed to load");
          throw rethrow(failure);
        }
        if (slot.keptCount() == 0) {
          LOG.warn(
              "batch {} of the epoch is empty: every image was dropped (rejected by the"
                  + " augmentation or without boxes); skipping it",
              nextBatch + 1);
          assign(slot, slot.batch + ring.length);
          lock.notifyAll();
          nextBatch++;
          continue;
        }
        staged = slot;
        return true;
      }
      return false;
    }
  }

  /**
   * The next batch. Its arrays stay valid until the next {@code hasNext()}/{@code next()} call on
   * this iterator, a new epoch of the source, or {@code close()}.
   */
  @Override
  public Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the epoch has no more batches");
    }
    BatchSlot slot;
    synchronized (lock) {
      slot = staged;
      staged = null;
      held = slot;
      nextBatch++;
    }
    return slot.toBatch();
  }

  /**
   * Hands the slot of the batch delivered last back to the workers. Not after cancellation: the
   * slots may already belong to a newer epoch.
   */
  private void release() {
    if (held != null && !cancelled) {
      assign(held, held.batch + ring.length);
      lock.notifyAll();
    }
    held = null;
  }

  private IllegalStateException stopped() {
    return new IllegalStateException("this epoch's loading was stopped: " + cancelReason);
  }

  private void awaitReady(BatchSlot slot) {
    while (true) {
      if (cancelled) {
        throw stopped();
      }
      if (slot.ready(nextBatch)) {
        return;
      }
      if (workersAlive == 0) {
        throw new IllegalStateException(
            "the loader's workers stopped before batch " + (nextBatch + 1) + " was complete");
      }
      try {
        lock.wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cancelLocked("the consumer was interrupted");
        throw new CancellationException(
            "interrupted while waiting for batch " + (nextBatch + 1) + " of the epoch");
      }
    }
  }

  /** Stops the workers at their next check; a waiting consumer fails with {@code reason}. */
  void cancel(String reason) {
    synchronized (lock) {
      cancelLocked(reason);
    }
  }

  private void cancelLocked(String reason) {
    if (!cancelled) {
      cancelled = true;
      cancelReason = reason;
    }
    lock.notifyAll();
  }

  /**
   * Cancels and waits until no worker touches the slots any more (each finishes at most the image
   * it is on), so they can be reused.
   */
  void cancelAndAwait(String reason) throws InterruptedException {
    synchronized (lock) {
      cancelLocked(reason);
      while (workersAlive > 0) {
        lock.wait();
      }
    }
  }

  /** Unchecked failures as they are (workers wrap sample failures), errors too. */
  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(t);
  }
}
