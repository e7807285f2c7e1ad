package org.grievance.ssd.spark;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * How a batch job names an image: as {@code ssd predict} would (the local path, for images given or
 * found on the local disk), or as the URI of a Hadoop file system ({@code s3a://bucket/a.jpg},
 * {@code hdfs://...}, {@code file:/...}). The name is what the output's {@code image} field holds,
 * what a rerun compares to skip finished images, and where a task reads the image from.
 */
final class ImageNames {
  private ImageNames() {}

  /**
   * Whether {@code name} is a URI with a scheme of at least two letters (one letter would be a
   * Windows drive), read through Hadoop; otherwise it is a local path.
   */
  static boolean isUri(String name) {
    int colon = name.indexOf(':');
    if (colon < 2) {
      return false;
    }
    try {
      return new URI(name).getScheme() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
