package org.grievance.ssd.register;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.grievance.ssd.image.ImageFiles;
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
public record ImageUpload(byte[] bytes, Format format, int height, int width) {

  /** Formats the decoder reads. */
  public enum Format {
    JPEG("image/jpeg"),
    PNG("image/png"),
    GIF("image/gif"),
    BMP("image/bmp"),
    WEBP("image/webp");

    /** The formats in words, for messages. */
    public static final String NAMES = "JPEG, PNG, WebP, GIF or BMP";

    private final String mediaType;

    Format(String mediaType) {
      this.mediaType = mediaType;
    }

    public String mediaType() {
      return mediaType;
    }

    /** The format of a stored photo's media type. */
    public static Format ofMediaType(String type) {
      for (Format f : values()) {
        if (f.mediaType.equals(type)) {
          return f;
        }
      }
      throw new IllegalArgumentException("unknown media type " + type);
    }

    public String extension() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The media types of every format, for the {@code accepted} field of a 415. */
    public static List<String> mediaTypes() {
      return Arrays.stream(values()).map(Format::mediaType).toList();
    }
  }

  /** Prefix of the temporary copies the decoder reads; {@link #sweepTemporaryCopies} knows it. */
  private static final String TEMPORARY_PREFIX = "upload-";

  /** The format the magic bytes announce, or {@code null} when they announce none we read. */
  public static Format sniff(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
      return Format.JPEG;
    }
    if (b.length >= 8
        && (b[0] & 0xFF) == 0x89
        && b[1] == 'P'
        && b[2] == 'N'
        && b[3] == 'G'
        && b[4] == 0x0D
        && b[5] == 0x0A
        && b[6] == 0x1A
        && b[7] == 0x0A) {
      return Format.PNG;
    }
    if (b.length >= 6
        && b[0] == 'G'
        && b[1] == 'I'
        && b[2] == 'F'
        && b[3] == '8'
        && (b[4] == '7' || b[4] == '9')
        && b[5] == 'a') {
      return Format.GIF;
    }
    if (b.length >= 14 && b[0] == 'B' && b[1] == 'M') {
      return Format.BMP;
    }
    if (b.length >= 16 && ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) {
      return Format.WEBP;
    }
    return null;
  }

  /**
   * The name of a format phones write that the decoder cannot read (HEIC/HEIF from iPhones, AVIF),
   * judged by the brand of its ISO media {@code ftyp} box, or {@code null}: such uploads get a 415
   * that says so rather than "not an image".
   */
  public static String refusedFormat(byte[] b) {
    if (b.length < 12 || !ascii(b, 4, "ftyp")) {
      return null;
    }
    String brand = new String(b, 8, 4, StandardCharsets.US_ASCII);
    return switch (brand) {
      case "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs" -> "HEIC";
      case "mif1", "msf1" -> "HEIF";
      case "avif", "avis" -> "AVIF";
      default -> null;
    };
  }

  private static boolean ascii(byte[] b, int at, String text) {
    if (b.length < at + text.length()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (b[at + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The 415 for an upload in no format we read, listing the accepted ones. */
  static ApiException unsupported(String message) {
    return new ApiException(
        415, message + "; send " + Format.NAMES, Map.of(), Map.of("accepted", Format.mediaTypes()));
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
    Format format = sniff(bytes);
    if (format == null) {
      String refused = refusedFormat(bytes);
      throw unsupported(
          refused != null
              ? "the upload is a " + refused + " image, which the register does not read"
              : "the upload is not an image the register reads (judged by its content)");
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
  static Path temporaryCopy(byte[] bytes, Path scratch, Format format) throws IOException {
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
