package org.grievance.ssd.register;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.ImageFormat;
import org.grievance.ssd.image.ImageReadException;

/**
 * An uploaded image that passed the cheap checks: size in bytes, format sniffed from the first
 * bytes (never the file name or the declared content type), and pixel count from the header, so a
 * decompression bomb (a small file declaring a huge image) is refused before anything is decoded.
 *
 * <p>The upload itself is never stored: it lives in memory for one request (and in a temporary file
 * the decoder reads, deleted at once and swept at start-up), because it carries the camera's
 * metadata; the register keeps a {@link CleanPhoto} instead.
 *
 * @param bytes the upload as received
 * @param format sniffed format
 * @param height displayed image height (EXIF orientation applied) from the header
 * @param width displayed image width from the header
 */
public record ImageUpload(byte[] bytes, ImageFormat format, int height, int width) {

  /** Prefix of the temporary copies the decoder reads; {@link #sweepTemporaryCopies} knows it. */
  private static final String TEMPORARY_PREFIX = "upload-";

  /** The 415 for an upload in no format we read, listing the accepted ones. */
  static ApiException unsupported(String message) {
    return new ApiException(
        415,
        message + "; send " + ImageFormat.ACCEPTED,
        Map.of(),
        Map.of(
            "accepted",
            Arrays.stream(ImageFormat.values())
                .filter(ImageFormat::accepted)
                .map(ImageFormat::mediaType)
                .toList()));
  }

  /**
   * Checks an upload: 413 when over {@code maxBytes} or {@code maxPixels}, 415 when the bytes are
   * not an image we read, 400 when the header is damaged. {@code scratch} is a directory for the
   * temporary copy the header reader needs.
   */
  public static ImageUpload check(byte[] bytes, long maxBytes, long maxPixels, Path scratch)
      throws IOException {
    if (bytes == null || bytes.length == 0) {
      throw ApiException.badRequest("the image is empty");
    }
    if (bytes.length > maxBytes) {
      throw new ApiException(
          413, "the image has " + bytes.length + " bytes; the limit is " + maxBytes);
    }
    ImageFormat format =
        ImageFormat.sniff(bytes)
            .orElseThrow(
                () ->
                    unsupported(
                        "the upload is not an image the register reads (judged by its content)"));
    if (!format.accepted()) {
      throw unsupported(
          "the upload is a " + format.displayName() + " image, which the register does not read");
    }
    Path tmp = temporaryCopy(bytes, scratch, format);
    try {
      ImageFiles.Size size;
      try {
        size = ImageFiles.readSize(tmp);
      } catch (ImageReadException e) {
        throw ApiException.badRequest("the image header cannot be read: " + reason(e));
      }
      long pixels = (long) size.height() * size.width();
      if (pixels > maxPixels) {
        throw new ApiException(
            413,
            "the image is "
                + size.width()
                + "x"
                + size.height()
                + " ("
                + pixels
                + " pixels); the limit is "
                + maxPixels
                + " pixels");
      }
      if (size.height() < 1 || size.width() < 1) {
        throw ApiException.badRequest("the image has no pixels");
      }
      return new ImageUpload(bytes, format, size.height(), size.width());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The decoder's reason without the server-side temporary path. */
  static String reason(ImageReadException e) {
    String m = e.getMessage();
    String prefix = "cannot read image " + e.file() + ": ";
    return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : "unreadable";
  }

  /**
   * Writes {@code bytes} to a fresh temporary file in {@code scratch} (the image readers work on
   * files); the caller deletes it.
   */
  static Path temporaryCopy(byte[] bytes, Path scratch, ImageFormat format) throws IOException {
    Files.createDirectories(scratch);
    Path tmp = Files.createTempFile(scratch, TEMPORARY_PREFIX, "." + format.extension());
    try {
      Files.write(tmp, bytes);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }

  /**
   * Deletes temporary copies of uploads left in {@code scratch} by a process killed in the middle
   * of a request (they hold the original, metadata and all, which the register promises not to
   * keep); returns how many.
   */
  static int sweepTemporaryCopies(Path scratch) throws IOException {
    if (!Files.isDirectory(scratch)) {
      return 0;
    }
    int n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(scratch, TEMPORARY_PREFIX + "*")) {
      for (Path p : files) {
        if (Files.isRegularFile(p) && Files.deleteIfExists(p)) {
          n++;
        }
      }
    }
    return n;
  }
}
