package org.grievance.ssd.cli;

import java.net.URI;
import java.util.function.Function;
import org.grievance.ssd.register.PhotoLocation;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the register keeps its photos: {@code --photos DIR|s3://BUCKET/PREFIX [--s3-endpoint URL]
 * [--s3-region R] [--s3-path-style]}. A picocli mixin, so that {@code ssd serve} and every
 * administration command that reads or writes photos name the same store the same way.
 */
public final class PhotoOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /** Reads environment variables; tests replace it. */
  Function<String, String> environment = System::getenv;

  @Option(
      names = "--photos",
      paramLabel = "DIR|s3://BUCKET/PREFIX",
      description =
          "Where photos are kept: a folder (default: DATA/photos), or an S3 bucket that every"
              + " replica shares, with the credentials of AWS_ACCESS_KEY_ID and"
              + " AWS_SECRET_ACCESS_KEY (or the SDK's other sources).")
  String photos;

  @Option(
      names = "--s3-endpoint",
      paramLabel = "URL",
      description = "An S3-compatible server's URL for --photos s3://... (default: AWS S3).")
  URI s3Endpoint;

  @Option(
      names = "--s3-region",
      paramLabel = "REGION",
      description = "Signing region for --photos s3://... (default: AWS_REGION, else us-east-1).")
  String s3Region;

  @Option(
      names = "--s3-path-style",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Name the bucket in the URL path, not the host name (default: true with"
              + " --s3-endpoint, false for AWS).")
  Boolean s3PathStyle;

  /**
   * Where the options put the photos; {@code null} without {@code --photos} (the folder under the
   * data directory). Inconsistent options are a {@link ParameterException} naming the option.
   */
  public PhotoLocation location() {
    if (photos == null) {
      if (s3Endpoint != null) {
        throw new ParameterException(
            spec.commandLine(), "--s3-endpoint is for --photos s3://BUCKET/PREFIX");
      }
      return null;
    }
    String region = s3Region != null ? s3Region : environment.apply("AWS_REGION");
    try {
      return PhotoLocation.parse(photos, s3Endpoint, region, s3PathStyle);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--photos: " + e.getMessage());
    }
  }
}
