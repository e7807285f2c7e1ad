package org.grievance.ssd.register;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.grievance.ssd.infer.Tiling;

/**
 * Everything the service needs to start, validated at construction.
 *
 * @param modelDir model or run directory ({@link org.grievance.ssd.store.ModelDirectory})
 * @param host address to bind ({@code 0.0.0.0} for all interfaces)
 * @param port TCP port, 0 for any free one
 * @param jdbcUrl database URL; {@code null} for the embedded H2 file database under {@code dataDir}
 * @param dataDir photos, the embedded database and temporary uploads
 * @param tagThreshold a detection with at least this score tags its grievance with its class
 * @param duplicateRadiusMeters grievances of a common category closer than this are linked
 * @param maxUploadBytes larger uploads are answered 413
 * @param maxPixels images with more pixels (read from the header, before decoding) are 413
 * @param maxDescriptionLength longer descriptions are 400
 * @param workers detection threads (one predictor call at a time each)
 * @param queueCapacity detections waiting for a worker beyond which requests get 503
 * @param detectTimeout how long a request waits for its detection before 503
 * @param tiling detect on overlapping tiles plus the whole image ({@link Tiling}), or {@code null}
 *     for the whole image only
 */
public record RegisterConfig(
    Path modelDir,
    String host,
    int port,
    String jdbcUrl,
    Path dataDir,
    double tagThreshold,
    double duplicateRadiusMeters,
    long maxUploadBytes,
    long maxPixels,
    int maxDescriptionLength,
    int workers,
    int queueCapacity,
    Duration detectTimeout,
    Tiling tiling) {

  public static final long DEFAULT_MAX_UPLOAD_BYTES = 10L * 1024 * 1024;
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  /** Validates every field. */
  public RegisterConfig {
    Objects.requireNonNull(modelDir, "modelDir");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(detectTimeout, "detectTimeout");
    require(port >= 0 && port <= 65535, "port must be in [0, 65535], got " + port);
    require(
        tagThreshold >= 0 && tagThreshold <= 1,
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
    return "jdbc:h2:file:"
        + dataDir.toAbsolutePath().resolve("db").resolve("register")
        + ";WRITE_DELAY=0";
  }

  public static Builder builder(Path modelDir) {
    return new Builder(modelDir);
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private final Path modelDir;
    private String host = "0.0.0.0";
    private int port = 8080;
    private String jdbcUrl;
    private Path dataDir = Path.of("data");
    private double tagThreshold = 0.5;
    private double duplicateRadiusMeters = 50;
    private long maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
    private long maxPixels = DEFAULT_MAX_PIXELS;
    private int maxDescriptionLength = 2000;
    private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    private int queueCapacity = 32;
    private Duration detectTimeout = Duration.ofSeconds(30);
    private Tiling tiling;

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

    public Builder tagThreshold(double value) {
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

    public Builder queueCapacity(int value) {
      queueCapacity = value;
      return this;
    }

    public Builder detectTimeout(Duration value) {
      detectTimeout = value;
      return this;
    }

    /** Tiled detection, or {@code null} (the default) for the whole image only. */
    public Builder tiling(Tiling value) {
      tiling = value;
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
          queueCapacity,
          detectTimeout,
          tiling);
    }
  }
}
