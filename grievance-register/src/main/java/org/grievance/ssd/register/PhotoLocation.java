package org.grievance.ssd.register;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the photo store lives ({@code ssd serve --photos}): a local folder, or a prefix in an S3
 * bucket that every replica of the register shares. Validated at construction.
 */
public sealed interface PhotoLocation {
  /** The photos in a folder of this machine. */
  record Folder(Path dir) implements PhotoLocation {
    public Folder {
      Objects.requireNonNull(dir, "dir");
    }
  }

  /**
   * The photos under {@code prefix} in an S3 bucket.
   *
   * @param bucket bucket name
   * @param prefix key prefix, empty or ending in {@code /}
   * @param endpoint an S3-compatible server's base URL; {@code null} for AWS itself
   * @param region signing region ({@code us-east-1} suits most S3-compatible servers)
   * @param pathStyle address the bucket in the path ({@code http://host/bucket/key}) rather than
   *     the host name; what S3-compatible servers usually need
   */
  record S3(String bucket, String prefix, URI endpoint, String region, boolean pathStyle)
      implements PhotoLocation {
    public S3 {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(region, "region");
      if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
        throw new IllegalArgumentException(
            "S3 bucket names are 3 to 63 lower-case letters, digits, dots and hyphens, got '"
                + bucket
                + "'");
      }
      if (!prefix.isEmpty() && !prefix.endsWith("/")) {
        prefix = prefix + "/";
      }
      if (prefix.startsWith("/")) {
        throw new IllegalArgumentException(
            "S3 prefix must not start with '/', got '" + prefix + "'");
      }
      if (endpoint != null
          && (!("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))
              || endpoint.getHost() == null)) {
        throw new IllegalArgumentException(
            "S3 endpoint must be an http:// or https:// URL with a host, got '" + endpoint + "'");
      }
      if (region.isBlank()) {
        throw new IllegalArgumentException("S3 region must not be blank");
      }
    }

    /** {@code s3://bucket/prefix}, for messages. */
    public String url() {
      return "s3://" + bucket + "/" + prefix;
    }
  }

  /**
   * Reads {@code --photos}: {@code s3://BUCKET/PREFIX} (with the endpoint, region and addressing
   * given apart), anything else a folder.
   */
  static PhotoLocation parse(String text, URI endpoint, String region, Boolean pathStyle) {
    Objects.requireNonNull(text, "text");
    if (!text.startsWith("s3://")) {
      if (endpoint != null) {
        throw new IllegalArgumentException(
            "--s3-endpoint is for --photos s3://BUCKET/PREFIX, but --photos is the folder " + text);
      }
      return new Folder(Path.of(text));
    }
    String rest = text.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    return new S3(
        bucket,
        prefix,
        endpoint,
        region == null ? "us-east-1" : region,
        pathStyle == null ? endpoint != null : pathStyle);
  }
}
