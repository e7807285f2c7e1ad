package org.grievance.ssd.register;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One budget of heap bytes shared by every request for the large, short-lived arrays a request
 * holds: the upload itself and its decoded pixels. A request reserves its share before it reads or
 * decodes (the size is known from {@code Content-Length}, the multipart part or the image header),
 * waits a short bounded time when the budget is spent, and is then answered 503 with {@code
 * Retry-After} instead of the process running out of memory. A request larger than the whole budget
 * could never run and is answered 413.
 *
 * <p>Permits are kibibytes, so a budget of many gigabytes fits a {@link Semaphore}'s int.
 */
public final class MemoryBudget {
  /**
   * Heap bytes one decoded pixel costs at the peak of a request: the decoder's image (up to 4
   * bytes), the RGB copy the detector reads (3) and the canvas the boxes are painted on or the
   * clean copy is encoded from (4), plus the encoders' buffers.
   */
  public static final int BYTES_PER_PIXEL = 12;

  /** Seconds a refused client is asked to wait. */
  public static final int RETRY_AFTER_SECONDS = 2;

  private final long totalBytes;
  private final Duration wait;
  private final Semaphore kib;

  /** A budget of {@code totalBytes}; a reservation waits at most {@code wait} for room. */
  public MemoryBudget(long totalBytes, Duration wait) {
    if (totalBytes < 1024) {
      throw new IllegalArgumentException("totalBytes must be >= 1024, got " + totalBytes);
    }
    if (wait.isNegative()) {
      throw new IllegalArgumentException("wait must not be negative, got " + wait);
    }
    this.totalBytes = Math.min(totalBytes, (long) Integer.MAX_VALUE * 1024);
    this.wait = wait;
    this.kib = new Semaphore((int) (this.totalBytes / 1024), true);
  }

  /** The default budget: half the JVM's maximum heap; the other half is for everything else. */
  public static long defaultBytes() {
    return Runtime.getRuntime().maxMemory() / 2;
  }

  public long totalBytes() {
    return totalBytes;
  }

  /** The most pixels one image may have to be decoded at all under this budget. */
  public long maxPixels() {
    return totalBytes / BYTES_PER_PIXEL;
  }

  /** Bytes not reserved now (for the health report and tests). */
  public long availableBytes() {
    return (long) kib.availablePermits() * 1024;
  }

  /** A reservation; closing it gives the bytes back (once). */
  public final class Lease implements AutoCloseable {
    private int held;

    private Lease(int held) {
      this.held = held;
    }

    /** Reserves {@code bytes} more under this lease, on the same terms as {@link #reserve}. */
    public void grow(long bytes, String what) {
      int more = permits(bytes, what);
      acquire(more, what);
      synchronized (this) {
        held += more;
      }
    }

    /**
     * Moves what this lease holds to a new lease, leaving this one empty: for work that outlives
     * the request that reserved it (a detection still running when its request gave up).
     */
    public synchronized Lease detach() {
      Lease moved = new Lease(held);
      held = 0;
      return moved;
    }

    @Override
    public synchronized void close() {
      if (held > 0) {
        kib.release(held);
        held = 0;
      }
    }
  }

  /** Reserves {@code bytes} for {@code what} (named in the refusal): 503 or 413 when it cannot. */
  public Lease reserve(long bytes, String what) {
    int permits = permits(bytes, what);
    acquire(permits, what);
    return new Lease(permits);
  }

  /** An empty lease to {@link Lease#grow} later. */
  public Lease empty() {
    return new Lease(0);
  }

  private int permits(long bytes, String what) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
    }
    if (bytes > totalBytes) {
      throw new ApiException(
          413,
          what
              + " needs about "
              + (bytes >> 20)
              + " MiB of memory; this server handles at most "
              + (totalBytes >> 20)
              + " MiB at once (its memory budget, set from its heap)");
    }
    return (int) Math.max(1, (bytes + 1023) / 1024);
  }

  private void acquire(int permits, String what) {
    boolean got;
    try {
      got = kib.tryAcquire(permits, wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      got = false;
    }
    if (!got) {
      throw new ApiException(
          503,
          "the server is busy with other images (no memory free for "
              + what
              + "); retry in "
              + RETRY_AFTER_SECONDS
              + " s",
          Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
    }
  }
}
