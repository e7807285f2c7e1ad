package org.grievance.ssd.train.loader;

import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.train.Batch;
import org.grievance.ssd.train.BatchSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The multi-threaded training data pipeline: images from files, through resize, augmentation, box
 * filtering and the encoder, into batches (see {@link LoaderConfig}).
 *
 * <p><b>Determinism.</b> An epoch's order is a permutation drawn from its seed (or the data-set
 * order), and image {@code i}'s augmentation draws from a random source derived from (epoch seed,
 * {@code i}) alone; so the same seed gives identical batches whatever the number of workers and
 * however they are scheduled.
 *
 * <p><b>Memory.</b> {@code prefetch + 1} sets of batch arrays are allocated once and recycled: a
 * delivered {@link Batch} shares its slot's arrays and stays valid only until the consumer asks for
 * the next batch ({@code hasNext()}/{@code next()} on the epoch's iterator), starts a new epoch, or
 * closes the source (the contract of {@link BatchSource}). Smaller batches (the last one without
 * {@code dropLast}, or one that lost images) are copies. With {@link
 * LoaderConfig#cacheDecodedImages()} the resized images stay in memory as well, if their estimated
 * size fits the budget.
 *
 * <p><b>Images without objects.</b> Unless kept, images without ground truth are left out of every
 * epoch up front, so batches stay full; an image whose boxes all disappear during augmentation and
 * filtering, or that an augmentation step rejects, is dropped from its batch as the reference's
 * generator does (that batch is then smaller, or skipped with a warning if it lost every image, so
 * an epoch may then yield fewer than {@link #batchesPerEpoch()} batches).
 *
 * <p><b>Errors.</b> An image that cannot be read, has invalid labels, or breaks an augmentation
 * step surfaces as a {@link SampleLoadException} naming it, thrown from the iterator where its
 * batch would have been delivered (the earlier batches come first); the epoch's workers stop.
 *
 * <p><b>Threads.</b> A fixed pool of daemon worker threads lives as long as the source; {@link
 * #close()} stops it. One thread consumes an epoch; starting a new epoch stops the previous one.
 */
public final class DetectionBatchSource implements BatchSource {
  private static final Logger LOG = LoggerFactory.getLogger(DetectionBatchSource.class);
  private static final AtomicInteger SOURCES = new AtomicInteger();
  private static final long CLOSE_WAIT_SECONDS = 10;

  /** Prefix of the worker threads' names. */
  public static final String THREAD_PREFIX = "ssd-loader-";

  private final LoaderConfig config;
  private final List<Sample> samples;
  private final SamplePipeline pipeline;
  private final boolean caching;
  private final BatchSlot[] ring;
  private final int batches;
  private final ExecutorService pool;
  private EpochRun current;
  private boolean closed;

  public DetectionBatchSource(LoaderConfig config) {
    this.config = config;
    this.samples = config.usableSamples();
    int n = samples.size();
    this.batches =
        config.dropLast()
            ? n / config.batchSize()
            : (n + config.batchSize() - 1) / config.batchSize();
    this.caching = config.cacheDecodedImages() && cacheFits(config, n);
    this.pipeline = new SamplePipeline(config, samples, caching ? new ImageCache(n) : null);
    int anchors = config.encoder().anchorCount();
    this.ring = new BatchSlot[config.prefetch() + 1];
    for (int s = 0; s < ring.length; s++) {
      ring[s] =
          new BatchSlot(config.batchSize(), config.imageHeight(), config.imageWidth(), anchors);
    }
    this.pool = Executors.newFixedThreadPool(config.workers(), threads());
  }

  private static boolean cacheFits(LoaderConfig config, int images) {
    long bytes = ImageCache.estimateBytes(images, config.imageHeight(), config.imageWidth());
    if (bytes > config.cacheBudgetBytes()) {
      LOG.warn(
          "not caching decoded images: {} images of {}x{} need about {} MiB, over the budget of {}"
              + " MiB; every epoch decodes them again",
          images,
          config.imageHeight(),
          config.imageWidth(),
          bytes >> 20,
          config.cacheBudgetBytes() >> 20);
      return false;
    }
    LOG.info("caching decoded images: about {} MiB for {} images", bytes >> 20, images);
    return true;
  }

  private static ThreadFactory threads() {
    String prefix = THREAD_PREFIX + SOURCES.incrementAndGet() + "-";
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true); // a source someone forgot to close must not keep the JVM alive
      return t;
    };
  }

  /**
   * Starts loading the epoch with {@code epochSeed}, stopping any earlier epoch of this source
   * (whose batches become invalid).
   *
   * @throws IllegalStateException if the source is closed
   */
  @Override
  public synchronized Iterator<Batch> epoch(long epochSeed) {
    if (closed) {
      throw new IllegalStateException("the batch source is closed");
    }
    stopCurrent("a new epoch started");
    int[] order = order(samples.size(), config.shuffle(), epochSeed);
    EpochRun run = new EpochRun(pipeline, ring, order, epochSeed, config.batchSize(), batches);
    run.start(pool, config.workers());
    current = run;
    return run;
  }

  /** The data-set order, or its Fisher–Yates shuffle drawn from {@code seed}. */
  static int[] order(int n, boolean shuffle, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      Random rnd = new Random(seed);
      for (int i = n - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  private void stopCurrent(String reason) {
    if (current == null) {
      return;
    }
    try {
      current.cancelAndAwait(reason);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the previous epoch", e);
    }
    current = null;
  }

  /** Full batches per epoch, plus the smaller last one unless {@code dropLast}. */
  @Override
  public int batchesPerEpoch() {
    return batches;
  }

  @Override
  public int imageHeight() {
    return config.imageHeight();
  }

  @Override
  public int imageWidth() {
    return config.imageWidth();
  }

  @Override
  public int anchorCount() {
    return config.encoder().anchorCount();
  }

  /** Images an epoch draws from (images without objects excluded unless kept). */
  public int imagesPerEpoch() {
    return samples.size();
  }

  /** Whether decoded images are cached (asked for, and within the budget). */
  public boolean cachesImages() {
    return caching;
  }

  public LoaderConfig config() {
    return config;
  }

  /** Stops the workers and waits (briefly) for their threads to end. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (current != null) {
      current.cancel("the batch source was closed");
      current = null;
    }
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn("loader threads still running {} s after close", CLOSE_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
