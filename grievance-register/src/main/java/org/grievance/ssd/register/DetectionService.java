package org.grievance.ssd.register;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.grievance.ssd.anchor.AnchorGenerator;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.ImageReadException;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.infer.DetectionPainter;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.infer.DetectorOptions;
import org.grievance.ssd.infer.Tiling;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.store.CheckpointFiles;
import org.grievance.ssd.store.ModelDirectory;

/**
 * Runs the detector for HTTP requests on a fixed pool of worker threads behind a bounded queue:
 * decoding, detection and painting happen on the workers, so the work in flight (and its memory)
 * never exceeds {@code workers + queueCapacity} images. A request that finds the queue full is
 * answered 503 with {@code Retry-After} at once rather than piling up.
 *
 * <p>The {@link Detector} is shared: its {@code detect} is thread-safe, so each worker is one
 * predictor with its own per-call arrays over the same read-only weights. PyTorch's intra-op pool
 * is set to one thread so that parallelism comes from the workers (no oversubscription).
 *
 * <p>The model can be replaced while requests run ({@link #swap}): the current {@link ServedModel}
 * sits behind an atomic reference, each detection holds the model it started on until it ends, and
 * the old model's native memory is freed when its last detection has finished. No request fails or
 * waits for a swap.
 */
public final class DetectionService implements AutoCloseable {
  /** Seconds a client is asked to wait when the queue is full. */
  public static final int RETRY_AFTER_SECONDS = 1;

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(DetectionService.class);

  private final AtomicReference<ServedModel> current;
  private final ThreadPoolExecutor pool;
  private final RegisterConfig config;
  private final Path scratch;

  /** What a caller needs besides the detections. */
  public enum Output {
    /** Only the detections ({@code POST /api/detect}). */
    DETECTIONS,
    /** Also the annotated PNG ({@code POST /api/detect?annotated=true}). */
    ANNOTATED,
    /** Also the annotated PNG and the {@link CleanPhoto} to store (a submission). */
    SUBMISSION
  }

  /**
   * What a detection produced, in the displayed frame (EXIF orientation applied): {@code
   * annotatedPng} unless only detections were asked for, {@code photo} for a submission.
   */
  public record Result(
      int height,
      int width,
      List<Detection> detections,
      double millis,
      byte[] annotatedPng,
      CleanPhoto photo,
      ServedModel model) {}

  /** The model as {@code GET /api/model} describes it. */
  public record ModelInfo(
      String name,
      String architecture,
      List<String> classes,
      int inputHeight,
      int inputWidth,
      int anchors,
      String checkpoint,
      String checkpointDate,
      Map<String, Object> decoder,
      String version,
      Long versionId) {}

  private DetectionService(ServedModel model, RegisterConfig config) {
    this.current = new AtomicReference<>(model);
    this.config = config;
    this.scratch = config.scratchDir();
    BlockingQueue<Runnable> queue =
        config.queueCapacity() == 0
            ? new SynchronousQueue<>()
            : new ArrayBlockingQueue<>(config.queueCapacity());
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            config.workers(),
            config.workers(),
            0,
            TimeUnit.SECONDS,
            queue,
            r -> {
              Thread t = new Thread(r, "detector-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /** Loads the model named by the configuration, without a version. */
  public static DetectionService load(RegisterConfig config) throws IOException {
    return start(open(config, config.modelDir(), null), config);
  }

  /** Serves {@code model} (which it then holds and closes). */
  static DetectionService start(ServedModel model, RegisterConfig config) {
    try {
      return new DetectionService(model, config);
    } catch (RuntimeException e) {
      model.release();
      throw e;
    }
  }

  /**
   * Loads the model in {@code modelPath} with the service's detector options, as {@code version}
   * (null: unversioned, named after its folder).
   */
  static ServedModel open(RegisterConfig config, Path modelPath, ModelVersions.ModelVersion version)
      throws IOException {
    ModelDirectory dir = ModelDirectory.open(modelPath);
    Detector detector = Detector.load(dir.checkpoint(), detectorOptions(config));
    try {
      return new ServedModel(detector, describe(dir, detector, version));
    } catch (IOException | RuntimeException e) {
      detector.close();
      throw e;
    }
  }

  /**
   * The detector options of the service, and of anything that should tag as it does ({@code ssd
   * register retag}): one image per call; with tiles, a few tiles of it per forward pass.
   */
  public static DetectorOptions detectorOptions(RegisterConfig config) {
    return DetectorOptions.builder()
        .batchSize(config.tiling() == null ? 1 : DetectorOptions.DEFAULT_BATCH_SIZE)
        .threads(1)
        .tiling(config.tiling())
        .build();
  }

  /** A model's name as the register shows it: its run folder and checkpoint, {@code run/best}. */
  public static String modelName(Path checkpoint) {
    Path parent = checkpoint.toAbsolutePath().normalize().getParent();
    return (parent == null ? "" : parent.getFileName() + "/") + checkpoint.getFileName();
  }

  private static ModelInfo describe(
      ModelDirectory dir, Detector detector, ModelVersions.ModelVersion version)
      throws IOException {
    ModelDescription d = dir.description();
    Path state = dir.checkpoint().resolve(CheckpointFiles.STATE_FILE);
    String date =
        Files.exists(state) ? Files.getLastModifiedTime(state).toInstant().toString() : null;
    String name = modelName(dir.checkpoint());
    String checkpoint = dir.checkpoint().getFileName().toString();
    if (version != null) {
      // Unpacked into DATA/models/HASH: the names and date of the checkpoint as it was promoted.
      name = version.modelName();
      checkpoint = name.substring(name.lastIndexOf('/') + 1);
      date = version.checkpointDate() == null ? null : version.checkpointDate().toString();
    }
    var dc = detector.decoderConfig();
    var resolved = detector.options().resolve(d.decoder());
    Tiling tiling = detector.options().tiling();
    Map<String, Object> decoder =
        Map.of(
            "kind", resolved.kind().toString(),
            "confidenceThreshold", dc.confidenceThreshold(),
            "classThresholds", resolved.classThresholds(),
            "iouThreshold", dc.iouThreshold(),
            "topK", dc.topK(),
            "tiles", tiling == null ? "off" : tiling.gridText(),
            "tileOverlap", tiling == null ? 0.0 : tiling.overlap());
    return new ModelInfo(
        name,
        d.architecture(),
        List.copyOf(d.classNames()),
        d.inputHeight(),
        d.inputWidth(),
        AnchorGenerator.generate(d.anchors()).count(),
        checkpoint,
        date,
        decoder,
        version == null ? null : version.label(),
        version == null ? null : version.id());
  }

  /** The current model, as {@code GET /api/model} describes it. */
  public ModelInfo info() {
    return model().info();
  }

  /** The current model; its description only (a detection holds it with {@link #hold()}). */
  public ServedModel model() {
    ServedModel m = current.get();
    if (m == null) {
      throw new IllegalStateException("the detection service is closed");
    }
    return m;
  }

  /** The current model's per-class confidence thresholds the detector applies (empty: none). */
  public Map<String, Double> classThresholds() {
    return model().classThresholds();
  }

  /**
   * The current model, held until {@link ServedModel#release()}: a swap meanwhile does not close
   * it. Retries when it loses the race with a swap that just closed the model it read.
   */
  ServedModel hold() {
    while (true) {
      ServedModel m = model();
      if (m.retain()) {
        return m;
      }
    }
  }

  /**
   * Makes {@code next} the current model: detections that start from now on use it, those running
   * finish on the old one, which is closed when the last of them ends. Returns the old model.
   */
  public ServedModel swap(ServedModel next) {
    ServedModel old = current.getAndSet(next);
    if (old == null) {
      current.set(null);
      next.release();
      throw new IllegalStateException("the detection service is closed");
    }
    LOG.info(
        "now serving {} {} (was {} {})",
        next.info().name(),
        Objects.toString(next.info().version(), ""),
        old.info().name(),
        Objects.toString(old.info().version(), ""));
    old.release();
    return old;
  }

  /** Detections waiting for a worker. */
  public int queued() {
    return pool.getQueue().size();
  }

  /**
   * One detection on a worker, and who holds its memory: the request's {@code lease}, or, when the
   * request gave up on a detection already running, the worker until it ends, so the budget counts
   * the pixels as long as they exist.
   */
  private final class Job implements Callable<Result> {
    private final ImageUpload upload;
    private final Output output;
    private boolean started;
    private boolean finished;
    private MemoryBudget.Lease orphaned;

    Job(ImageUpload upload, Output output) {
      this.upload = upload;
      this.output = output;
    }

    @Override
    public Result call() throws IOException {
      synchronized (this) {
        started = true;
      }
      try {
        return run(upload, output);
      } finally {
        synchronized (this) {
          finished = true;
          if (orphaned != null) {
            orphaned.close();
          }
        }
      }
    }

    /** After a timeout: a running job keeps {@code lease}'s memory until it ends. */
    synchronized void abandon(MemoryBudget.Lease lease) {
      if (started && !finished) {
        orphaned = lease.detach();
      }
    }
  }

  /**
   * Decodes (upright), detects and produces {@code output} on a worker; 503 when the queue is full
   * or the detection takes longer than the configured timeout. {@code lease} holds the upload's
   * memory; a detection that outlives its request keeps it until it ends.
   */
  public Result detect(ImageUpload upload, Output output, MemoryBudget.Lease lease)
      throws IOException {
    Future<Result> future;
    Job job = new Job(upload, output);
    try {
      future = submit(job);
    } catch (RejectedExecutionException e) {
      throw new ApiException(
          503,
          "the detector is busy; retry in " + RETRY_AFTER_SECONDS + " s",
          Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
    }
    try {
      return future.get(config.detectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      job.abandon(lease);
      throw new ApiException(
          503,
          "detection took longer than " + config.detectTimeout().toSeconds() + " s",
          Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while waiting for the detector");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ApiException api) {
        throw api;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException rt) {
        throw rt;
      }
      throw new IllegalStateException("detection failed", cause);
    }
  }

  /** Queues work on the detector threads (tests use it to occupy them). */
  <T> Future<T> submit(Callable<T> work) {
    return pool.submit(work);
  }

  private Result run(ImageUpload upload, Output output) throws IOException {
    long start = System.nanoTime();
    Path tmp = ImageUpload.temporaryCopy(upload.bytes(), scratch, upload.format());
    RgbImage image;
    try {
      image = ImageFiles.read(tmp);
    } catch (ImageReadException e) {
      throw ApiException.badRequest("the image cannot be decoded: " + ImageUpload.reason(e));
    } finally {
      Files.deleteIfExists(tmp);
    }
    ServedModel model = hold();
    List<Detection> detections;
    try {
      detections = model.detector().detect(image);
    } finally {
      model.release();
    }
    byte[] png = output == Output.DETECTIONS ? null : annotate(image, detections);
    CleanPhoto photo = output == Output.SUBMISSION ? CleanPhoto.of(image, upload.format()) : null;
    double millis = (System.nanoTime() - start) / 1e6;
    return new Result(image.height(), image.width(), detections, millis, png, photo, model);
  }

  /** The image with the detections drawn ({@link DetectionPainter}), as PNG. */
  public static byte[] annotate(RgbImage image, List<Detection> detections) throws IOException {
    var painted = DetectionPainter.annotate(image, detections);
    var out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(painted, "png", out);
    return out.toByteArray();
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ServedModel last = current.getAndSet(null);
    if (last != null) {
      last.release();
    }
  }
}
