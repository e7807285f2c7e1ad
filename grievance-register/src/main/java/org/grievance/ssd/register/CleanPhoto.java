package org.grievance.ssd.register;

import java.io.IOException;
import java.util.Objects;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.ImageFormat;
import org.grievance.ssd.image.RgbImage;

/**
 * The copy of a citizen's photo that the register stores and serves: the upright pixels (EXIF
 * orientation applied) encoded afresh, so nothing of the camera's metadata survives — no EXIF (GPS,
 * device, time), XMP, IPTC, ICC profile or comment — and every viewer shows it the way the detector
 * saw it.
 *
 * <p>One rule picks the encoding: uploads in a lossy format (JPEG, WebP) become a JPEG of quality
 * {@value #JPEG_QUALITY}, lossless ones (PNG, GIF, BMP) a PNG, so a photo is not bloated into a PNG
 * and a screenshot or drawing loses nothing. The encoders write nothing but the pixels and what the
 * format needs to read them (JPEG: the JFIF header; PNG: IHDR, IDAT, IEND). Transparency is
 * dropped, as the detector drops it.
 *
 * @param bytes the encoded image
 * @param format its format, {@link Format#JPEG} or {@link Format#PNG}
 */
public record CleanPhoto(byte[] bytes, ImageFormat format) {
  /** JPEG quality of the stored copy of a JPEG or WebP upload: visually lossless for photos. */
  public static final float JPEG_QUALITY = 0.92f;

  /** Validates the fields. */
  public CleanPhoto {
    Objects.requireNonNull(bytes, "bytes");
    if (format != ImageFormat.JPEG && format != ImageFormat.PNG) {
      throw new IllegalArgumentException("a clean photo is JPEG or PNG, got " + format);
    }
  }

  /** The clean copy of {@code upright}, decoded from an upload in {@code source} format. */
  public static CleanPhoto of(RgbImage upright, ImageFormat source) throws IOException {
    return switch (source) {
      case JPEG, WEBP ->
          new CleanPhoto(ImageFiles.jpegBytes(upright, JPEG_QUALITY), ImageFormat.JPEG);
      case PNG, GIF, BMP -> new CleanPhoto(ImageFiles.pngBytes(upright), ImageFormat.PNG);
      case HEIF, AVIF -> throw new IllegalArgumentException("no decoder reads " + source);
    };
  }
}
