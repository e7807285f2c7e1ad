package org.grievance.ssd.register;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.register.ImageUpload.Format;

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
public record CleanPhoto(byte[] bytes, Format format) {
  /** JPEG quality of the stored copy of a JPEG or WebP upload: visually lossless for photos. */
  public static final float JPEG_QUALITY = 0.92f;

  /** Validates the fields. */
  public CleanPhoto {
    Objects.requireNonNull(bytes, "bytes");
    if (format != Format.JPEG && format != Format.PNG) {
      throw new IllegalArgumentException("a clean photo is JPEG or PNG, got " + format);
    }
  }

  /** The clean copy of {@code upright}, decoded from an upload in {@code source} format. */
  public static CleanPhoto of(RgbImage upright, Format source) throws IOException {
    return switch (source) {
      case JPEG, WEBP -> new CleanPhoto(ImageFiles.jpegBytes(upright, JPEG_QUALITY), Format.JPEG);
      case PNG, GIF, BMP -> new CleanPhoto(png(upright), Format.PNG);
    };
  }

  /** {@code image} as PNG bytes (the JDK's encoder writes no text or time chunks). */
  static byte[] png(RgbImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image.toBufferedImage(), "png", out)) {
      throw new IOException("no PNG encoder");
    }
    return out.toByteArray();
  }
}
