package org.grievance.ssd.spark;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import org.grievance.ssd.infer.Tiling;
import org.grievance.ssd.register.PhotoLocation;
import org.grievance.ssd.register.RegisterConfig;

/**
 * The register a retag job works on and the model version it tags with, in a form Spark can ship to
 * the executors (a {@link RegisterConfig} and a {@link PhotoLocation} are not serialisable): each
 * executor rebuilds the configuration {@code ssd serve} would have from these. Equal targets share
 * one set of connections and one detector per JVM ({@link ExecutorRetaggers}).
 *
 * @param jdbcUrl the register's database
 * @param dataDir the register's data directory (models are checked out below it)
 * @param photoFolder the photo folder, or {@code null} for an S3 store
 * @param s3Bucket the S3 bucket, or {@code null} for a folder
 * @param s3Prefix the S3 key prefix
 * @param s3Endpoint an S3-compatible server's URL, or {@code null} for AWS
 * @param s3Region the S3 signing region
 * @param s3PathStyle whether the bucket goes in the URL path
 * @param tagThreshold one tagging threshold for every class, {@code null} for the model's
 * @param tiles {@code auto} or {@code RxC}, {@code null} for the whole photo only
 * @param tileOverlap the tiles' overlap
 * @param versionId the model version to tag with
 */
public record RetagTarget(
    String jdbcUrl,
    String dataDir,
    String photoFolder,
    String s3Bucket,
    String s3Prefix,
    String s3Endpoint,
    String s3Region,
    boolean s3PathStyle,
    Double tagThreshold,
    String tiles,
    double tileOverlap,
    long versionId)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The target of {@code config} (its effective database and photo store) and {@code versionId}.
   */
  public static RetagTarget of(RegisterConfig config, long versionId) {
    PhotoLocation photos = config.effectivePhotos();
    Tiling t = config.tiling();
    String tiles = t == null ? null : t.gridText();
    double overlap = t == null ? Tiling.DEFAULT_OVERLAP : t.overlap();
    if (photos instanceof PhotoLocation.S3 s3) {
      return new RetagTarget(
          config.effectiveJdbcUrl(),
          config.dataDir().toString(),
          null,
          s3.bucket(),
          s3.prefix(),
          s3.endpoint() == null ? null : s3.endpoint().toString(),
          s3.region(),
          s3.pathStyle(),
          config.tagThreshold(),
          tiles,
          overlap,
          versionId);
    }
    return new RetagTarget(
        config.effectiveJdbcUrl(),
        config.dataDir().toString(),
        ((PhotoLocation.Folder) photos).dir().toString(),
        null,
        null,
        null,
        null,
        false,
        config.tagThreshold(),
        tiles,
        overlap,
        versionId);
  }

  /** The register configuration this target stands for, as the driver built it. */
  public RegisterConfig config() {
    PhotoLocation photos =
        photoFolder != null
            ? new PhotoLocation.Folder(Path.of(photoFolder))
            : new PhotoLocation.S3(
                s3Bucket,
                s3Prefix,
                s3Endpoint == null ? null : URI.create(s3Endpoint),
                s3Region,
                s3PathStyle);
    return RegisterConfig.builder(Path.of("."))
        .jdbcUrl(jdbcUrl)
        .dataDir(Path.of(dataDir))
        .photos(photos)
        .tagThreshold(tagThreshold)
        .tiling(tiles == null ? null : Tiling.parse(tiles, tileOverlap))
        .build();
  }
}
