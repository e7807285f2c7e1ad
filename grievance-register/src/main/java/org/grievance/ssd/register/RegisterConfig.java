package org.grievance.ssd.register;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.grievance.ssd.infer.Tiling;
import org.grievance.ssd.register.workflow.TagThresholds;

/**
 * Everything the service needs to start, validated at construction.
 *
 * @param modelDir model or run directory ({@link org.grievance.ssd.store.ModelDirectory})
 * @param host address to bind: loopback ({@code 127.0.0.1}) unless exposing the service is meant,
 *     {@code 0.0.0.0} for all interfaces
 * @param port TCP port, 0 for any free one
 * @param jdbcUrl database URL; {@code null} for the embedded H2 file database under {@code dataDir}
 * @param dataDir photos, the embedded database and temporary uploads
 * @param tagThreshold a detection with at least this score tags its grievance with its class, for
 *     every class; {@code null}: the model's per-class thresholds, and {@link
 *     TagThresholds#DEFAULT} for classes without one
 * @param duplicateRadiusMeters grievances of a common category closer than this are linked
 * @param maxUploadBytes larger uploads are answered 413
 * @param maxPixels images with more pixels (read from the header, before decoding) are 413
 * @param maxDescriptionLength longer descriptions are 400
 * @param workers detection threads (one predictor call at a time each)
 * @param queueCapacity detections waiting for a worker beyond which requests get 503
 * @param detectTimeout how long a request waits for its detection before 503
 * @param tls the certificate to serve HTTPS with; null serves plain HTTP
 * @param trustedProxies IP addresses of reverse proxies whose {@code X-Forwarded-For} and {@code
 *     X-Forwarded-Proto} headers are believed; empty believes no one
 * @param migrate bring the schema up to date at start; false for a database user without the right
 *     to change the schema: the server then refuses to start while migrations are pending
 * @param memoryBudgetBytes heap bytes all requests together may hold in uploads and decoded pixels
 *     ({@link MemoryBudget}); the default is half the maximum heap
 * @param submitLimit grievance submissions per client ({@code POST /api/grievances}); null: none
 * @param detectLimit detections per client ({@code POST /api/detect}); null: none
 * @param limitLoopback whether the rate limits apply to clients on the loopback address too (by
 *     default they do not: a loopback client is the operator, or a proxy that was not declared
 *     trusted)
 * @param tiling detect on overlapping tiles plus the whole image ({@link Tiling}), or {@code null}
 *     for the whole image only
 * @param modelPollInterval how often the server looks for a newly promoted model version ({@link
 *     ModelVersions}); zero turns the polling off (the version found at start-up is served)
 * @param photos where the photos are kept: a folder, or an S3 bucket that replicas share; {@code
 *     null} for the folder {@code dataDir/photos}
 */
public record RegisterConfig(
    Path modelDir,
    String host,
    int port,
    String jdbcUrl,
    Path dataDir,
    Double tagThreshold,
    double duplicateRadiusMeters,
    long maxUploadBytes,
    long maxPixels,
    int maxDescriptionLength,
    int workers,
    int queueCapacity,
    Duration detectTimeout,
    TlsSource tls,
    List<String> trustedProxies,
    boolean migrate,
    long memoryBudgetBytes,
    RateLimit submitLimit,
    RateLimit detectLimit,
    boolean limitLoopback,
    Tiling tiling,
    Duration modelPollInterval,
    PhotoLocation photos) {

  /** How often a server looks for a promoted model by default. */
  public static final Duration DEFAULT_MODEL_POLL_INTERVAL = Duration.ofSeconds(2);

  public static final long DEFAULT_MAX_UPLOAD_BYTES = 10L * 1024 * 1024;
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  /** Submissions per client by default: a citizen reports a few, a script thousands. */
  public static final RateLimit DEFAULT_SUBMIT_LIMIT = RateLimit.parse("30/hour");

  /** Detections per client by default: the citizen page detects once per chosen photo. */
  public static final RateLimit DEFAULT_DETECT_LIMIT = RateLimit.parse("120/minute");

  /** Heap per detection worker by default: its image and the detector's own arrays. */
  static final long HEAP_PER_WORKER = 256L << 20;

  /**
   * The default number of detection workers: the cores, but no more than the heap holds at {@link
   * #HEAP_PER_WORKER} each (at least one).
   */
  public static int defaultWorkers() {
    long byHeap = Math.max(1, Runtime.getRuntime().maxMemory() / HEAP_PER_WORKER);
    return (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), byHeap));
  }

  /**
   * The default queue: four waiting detections per worker, at most 32. Waiting requests hold their
   * upload, within the memory budget.
   */
  public static int defaultQueueCapacity(int workers) {
    return Math.min(32, 4 * workers);
  }

  /** Validates every field. */
  public RegisterConfig {
    Objects.requireNonNull(modelDir, "modelDir");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(detectTimeout, "detectTimeout");
    Objects.requireNonNull(trustedProxies, "trustedProxies");
    Objects.requireNonNull(modelPollInterval, "modelPollInterval");
    require(
        !modelPollInterval.isNegative(),
        "modelPollInterval must be zero (off) or positive, got " + modelPollInterval);
    trustedProxies = List.copyOf(trustedProxies);
    for (String proxy : trustedProxies) {
      require(
          ForwardedHeaders.literal(proxy) != null,
          "trustedProxies must be IP addresses (no host names), got '" + proxy + "'");
    }
    require(port >= 0 && port <= 65535, "port must be in [0, 65535], got " + port);
    require(
        tagThreshold == null || (tagThreshold >= 0 && tagThreshold <= 1),
        "tagThreshold must be in [0, 1], got " + tagThreshold);
    require(
        duplicateRadiusMeters >= 0 && Double.isFinite(duplicateRadiusMeters),
        "duplicateRadiusMeters must be finite and >= 0, got " + duplicateRadiusMeters);
    require(maxUploadBytes >= 1, "maxUploadBytes must be >= 1, got " + maxUploadBytes);
    require(maxPixels >= 1, "maxPixels must be >= 1, got " + maxPixels);
    require(
        maxDescriptionLength >= 1,
        "maxDescriptionLength must be >= 1, got " + maxDescriptionLength);
    require(workers >= 1, "workers must be >= 1, got " + workers);
    require(queueCapacity >= 0, "queueCapacity must be >= 0, got " + queueCapacity);
    require(
        !detectTimeout.isNegative() && !detectTimeout.isZero(),
        "detectTimeout must be positive, got " + detectTimeout);
    require(
        memoryBudgetBytes >= 1 << 20,
        "memoryBudgetBytes must be at least 1 MiB, got " + memoryBudgetBytes);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The JDBC URL in effect: the given one, or H2 in {@code dataDir/db}. */
  public String effectiveJdbcUrl() {
    if (jdbcUrl != null) {
      return jdbcUrl;
    }
    // WRITE_DELAY=0: a commit reaches the file before the client is told "201", so a killed
    // process never loses an acknowledged grievance (H2 defaults to a 500 ms delay).
    // AUTO_SERVER=TRUE: the first process to open the file serves it to the others over TCP, so
    // 'ssd register add-official' works while 'ssd serve' holds the file; Database binds that
    // server to loopback, and only processes that can read the lock file learn its key.
    return "jdbc:h2:file:"
        + dataDir.toAbsolutePath().resolve("db").resolve("register")
        + ";WRITE_DELAY=0;AUTO_SERVER=TRUE";
  }

  /**
   * Like {@link #effectiveJdbcUrl()}, but for the embedded database without mixed mode: opening it
   * fails while another process (a running server) holds the file. For operations that must not run
   * beside a server, such as a restore.
   */
  public String exclusiveJdbcUrl() {
    return jdbcUrl != null ? jdbcUrl : effectiveJdbcUrl().replace(";AUTO_SERVER=TRUE", "");
  }

  /** The photo store in effect: the given one, or the folder {@code dataDir/photos}. */
  public PhotoLocation effectivePhotos() {
    return photos != null ? photos : new PhotoLocation.Folder(dataDir.resolve("photos"));
  }

  /**
   * Where uploads are copied for the decoder while a request runs ({@code dataDir/tmp}); swept at
   * start-up, since those copies still carry the camera's metadata.
   */
  public Path scratchDir() {
    return dataDir.resolve("tmp");
  }

  /**
   * Where promoted model versions are unpacked to be loaded ({@code dataDir/models}, one folder per
   * archive hash; see {@link ModelArchive}).
   */
  public Path modelsDir() {
    return dataDir.resolve("models");
  }

  public static Builder builder(Path modelDir) {
    return new Builder(modelDir);
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private final Path modelDir;
    private String host = "127.0.0.1";
    private int port = 8080;
    private String jdbcUrl;
    private Path dataDir = Path.of("data");
    private Double tagThreshold;
    private double duplicateRadiusMeters = 50;
    private long maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
    private long maxPixels = DEFAULT_MAX_PIXELS;
    private int maxDescriptionLength = 2000;
    private int workers = defaultWorkers();
    private Integer queueCapacity;
    private Duration detectTimeout = Duration.ofSeconds(30);
    private TlsSource tls;
    private List<String> trustedProxies = List.of();
    private boolean migrate = true;
    private long memoryBudgetBytes = MemoryBudget.defaultBytes();
    private RateLimit submitLimit = DEFAULT_SUBMIT_LIMIT;
    private RateLimit detectLimit = DEFAULT_DETECT_LIMIT;
    private boolean limitLoopback;
    private Tiling tiling;
    private Duration modelPollInterval = DEFAULT_MODEL_POLL_INTERVAL;
    private PhotoLocation photos;

    private Builder(Path modelDir) {
      this.modelDir = modelDir;
    }

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder jdbcUrl(String value) {
      jdbcUrl = value;
      return this;
    }

    public Builder dataDir(Path value) {
      dataDir = value;
      return this;
    }

    /** For every class; {@code null} (the default): the model's per-class thresholds. */
    public Builder tagThreshold(Double value) {
      tagThreshold = value;
      return this;
    }

    public Builder duplicateRadiusMeters(double value) {
      duplicateRadiusMeters = value;
      return this;
    }

    public Builder maxUploadBytes(long value) {
      maxUploadBytes = value;
      return this;
    }

    public Builder maxPixels(long value) {
      maxPixels = value;
      return this;
    }

    public Builder maxDescriptionLength(int value) {
      maxDescriptionLength = value;
      return this;
    }

    public Builder workers(int value) {
      workers = value;
      return this;
    }

    /** Default: {@link #defaultQueueCapacity} of the workers. */
    public Builder queueCapacity(int value) {
      queueCapacity = value;
      return this;
    }

    public Builder detectTimeout(Duration value) {
      detectTimeout = value;
      return this;
    }

    public Builder tls(TlsSource value) {
      tls = value;
      return this;
    }

    public Builder trustedProxies(List<String> value) {
      trustedProxies = value;
      return this;
    }

    public Builder migrate(boolean value) {
      migrate = value;
      return this;
    }

    public Builder memoryBudgetBytes(long value) {
      memoryBudgetBytes = value;
      return this;
    }

    /** Null: no limit. */
    public Builder submitLimit(RateLimit value) {
      submitLimit = value;
      return this;
    }

    /** Null: no limit. */
    public Builder detectLimit(RateLimit value) {
      detectLimit = value;
      return this;
    }

    public Builder limitLoopback(boolean value) {
      limitLoopback = value;
      return this;
    }

    /** Tiled detection, or {@code null} (the default) for the whole image only. */
    public Builder tiling(Tiling value) {
      tiling = value;
      return this;
    }

    /** How often to look for a promoted model version; zero: never after start-up. */
    public Builder modelPollInterval(Duration value) {
      modelPollInterval = value;
      return this;
    }

    /** The photo store; {@code null} (the default): the folder {@code dataDir/photos}. */
    public Builder photos(PhotoLocation value) {
      photos = value;
      return this;
    }

    public RegisterConfig build() {
      return new RegisterConfig(
          modelDir,
          host,
          port,
          jdbcUrl,
          dataDir,
          tagThreshold,
          duplicateRadiusMeters,
          maxUploadBytes,
          maxPixels,
          maxDescriptionLength,
          workers,
          queueCapacity == null ? defaultQueueCapacity(workers) : queueCapacity,
          detectTimeout,
          tls,
          trustedProxies,
          migrate,
          memoryBudgetBytes,
          submitLimit,
          detectLimit,
          limitLoopback,
          tiling,
          modelPollInterval,
          photos);
    }
  }
}
