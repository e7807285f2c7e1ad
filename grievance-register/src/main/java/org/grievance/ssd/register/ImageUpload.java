package org.grievance.ssd.register;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.ImageReadException;

/**
 * An uploaded image that passed the cheap checks: size in bytes, format sniffed from the first
 * bytes (never the file name or the declared content type), and pixel count from the header, so a
 * decompression bomb (a small file declaring a huge image) is refused before anything is decoded.
 *
 * @param bytes the upload as received
 * @param format sniffed format
 * @param height image height from the header
 * @param width image width from the header
 */
public record ImageUpload(byte[] bytes, Format format, int height, int width) {

  /** Formats the decoder reads. */
  public enum Format {
    JPEG("image/jpeg"),
    PNG("image/png"),
    GIF("image/gif"),
    BMP("image/bmp");

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
  }

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
    return null;
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
      throw new ApiException(
          415, "the upload is not a JPEG, PNG, GIF or BMP image (judged by its content)");
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
    Path tmp = Files.createTempFile(scratch, "upload-", "." + format.extension());
    try {
      Files.write(tmp, bytes);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }
}
