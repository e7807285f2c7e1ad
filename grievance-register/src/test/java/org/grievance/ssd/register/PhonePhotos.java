package org.grievance.ssd.register;

import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.ImageFormat;
import org.grievance.ssd.image.Orientation;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.testing.ExifPhotos;

/**
 * The register tests' phone photos, made by the tests (one WebP fixture excepted, which nothing in
 * the build can write): an upright scene with a known layout, written the way phones store it, in
 * every accepted format; and a reader of JPEG segments and PNG chunks that tells whether anything
 * but pixels is left in a served image.
 */
final class PhonePhotos {
  /** The WebP fixture's GPS position and marker (see {@code src/test/resources/photos}). */
  static final double WEBP_LATITUDE = 51.500729;

  static final double WEBP_LONGITUDE = -0.124625;
  static final String WEBP_MARKER = "webp-fixture-marker";

  /** Top half blue, bottom half green, a red disc in the top half: which way is up shows. */
  static final int[] TOP = {70, 110, 200};

  static final int[] BOTTOM = {40, 160, 60};

  private PhonePhotos() {}

  /**
   * An upright portrait scene of {@code height > width}, layout as {@link #TOP}/{@link #BOTTOM}.
   */
  static RgbImage portrait(int height, int width) {
    byte[] px = new byte[height * width * 3];
    int cx = width / 2;
    int cy = height / 4;
    int r = Math.max(2, width / 5);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean disc = (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r;
        int[] c = disc ? new int[] {220, 40, 30} : y < height / 2 ? TOP : BOTTOM;
        int k = (y * width + x) * 3;
        px[k] = (byte) c[0];
        px[k + 1] = (byte) c[1];
        px[k + 2] = (byte) c[2];
      }
    }
    return new RgbImage(height, width, px);
  }

  /**
   * A phone JPEG of {@code upright}: stored sideways with orientation 6 (a phone held upright), an
   * EXIF block with a GPS position and {@code marker}.
   */
  static byte[] phoneJpeg(RgbImage upright, double lat, double lon, String marker)
      throws IOException {
    Orientation o = Orientation.ROTATE_90_CW;
    byte[] jpeg = ImageFiles.jpegBytes(ExifPhotos.storedPixels(upright, o), 0.95f);
    return ExifPhotos.withExif(jpeg, new ExifPhotos.Exif(o, lat, lon, marker));
  }

  /** The WebP fixture: a portrait (orientation 6) with GPS and {@link #WEBP_MARKER}. */
  static byte[] webp() throws IOException {
    try (InputStream in = PhonePhotos.class.getResourceAsStream("/photos/portrait-exif.webp")) {
      if (in == null) {
        throw new IOException("photos/portrait-exif.webp is missing from the test resources");
      }
      return in.readAllBytes();
    }
  }

  /** {@code image} in an ImageIO format ("gif", "bmp", "png"). */
  static byte[] encoded(RgbImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image.toBufferedImage(), format, out)) {
      throw new IOException("no writer for " + format);
    }
    return out.toByteArray();
  }

  /** A progressive JPEG of {@code image}. */
  static byte[] progressiveJpeg(RgbImage image) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(buffer)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      writer.write(null, new IIOImage(image.toBufferedImage(), null, null), param);
    } finally {
      writer.dispose();
    }
    byte[] jpeg = buffer.toByteArray();
    if (!segmentMarkers(jpeg).contains(0xC2)) {
      throw new IllegalStateException("the writer did not write a progressive frame (SOF2)");
    }
    return jpeg;
  }

  /**
   * A CMYK JPEG as Photoshop writes it (four inverted channels, an Adobe APP14 segment, transform
   * 0): an even cyan ink on white paper, which reads as RGB (0, 255, 255).
   */
  static byte[] cmykJpeg(int height, int width) throws IOException {
    WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
    int[] inverted = {0, 255, 255, 255}; // stored inverted: full cyan, no magenta, yellow, black
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        r.setPixel(x, y, inverted);
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(buffer)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(r, null, null), writer.getDefaultWriteParam());
    } finally {
      writer.dispose();
    }
    byte[] jpeg = buffer.toByteArray();
    byte[] app14 = {
      (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0
    };
    byte[] spliced = new byte[jpeg.length + app14.length];
    System.arraycopy(jpeg, 0, spliced, 0, 2);
    System.arraycopy(app14, 0, spliced, 2, app14.length);
    System.arraycopy(jpeg, 2, spliced, 2 + app14.length, jpeg.length - 2);
    return spliced;
  }

  /** The start of an ISO media file of {@code brand} (HEIC, HEIF or AVIF from a phone). */
  static byte[] isoMedia(String brand) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0, 0, 0, 0x18});
    out.writeBytes(("ftyp" + brand).getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(new byte[] {0, 0, 0, 0});
    out.writeBytes(("mif1" + brand).getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(new byte[64]);
    return out.toByteArray();
  }

  /** A JPEG segment: its marker (APPn = 0xE0 + n, COM = 0xFE) and its length field. */
  record Segment(int marker, int length) {}

  /** The segments of a JPEG up to the start of scan. */
  static List<Segment> segments(byte[] jpeg) {
    List<Segment> segments = new ArrayList<>();
    int i = 2;
    while (i + 4 <= jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
      int marker = jpeg[i + 1] & 0xFF;
      int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
      segments.add(new Segment(marker, length));
      if (marker == 0xDA) {
        break;
      }
      i += 2 + length;
    }
    return segments;
  }

  static List<Integer> segmentMarkers(byte[] jpeg) {
    return segments(jpeg).stream().map(Segment::marker).toList();
  }

  /** The chunk types of a PNG, in order. */
  static List<String> pngChunks(byte[] png) {
    List<String> chunks = new ArrayList<>();
    int i = 8;
    while (i + 8 <= png.length) {
      int length =
          ((png[i] & 0xFF) << 24)
              | ((png[i + 1] & 0xFF) << 16)
              | ((png[i + 2] & 0xFF) << 8)
              | (png[i + 3] & 0xFF);
      chunks.add(new String(png, i + 4, 4, StandardCharsets.US_ASCII));
      i += 12 + length;
    }
    return chunks;
  }

  /**
   * What in a served image is not needed to show its pixels: any JPEG APPn segment but a bare JFIF
   * header (APP0 of 16 bytes: no thumbnail), comments, or any PNG chunk but IHDR, PLTE, IDAT and
   * IEND. Empty for a clean image.
   */
  static List<String> metadataIn(byte[] image) {
    List<String> found = new ArrayList<>();
    if (ImageFormat.sniff(image).orElse(null) == ImageFormat.JPEG) {
      for (Segment s : segments(image)) {
        int m = s.marker();
        if ((m >= 0xE1 && m <= 0xEF) || m == 0xFE || (m == 0xE0 && s.length() != 16)) {
          found.add(String.format("JPEG segment 0xFF%02X of %d bytes", m, s.length()));
        }
      }
    } else if (ImageFormat.sniff(image).orElse(null) == ImageFormat.PNG) {
      for (String c : pngChunks(image)) {
        if (!List.of("IHDR", "PLTE", "IDAT", "IEND").contains(c)) {
          found.add("PNG chunk " + c);
        }
      }
    } else {
      found.add("neither JPEG nor PNG");
    }
    return found;
  }

  /** Whether {@code needle} occurs in {@code haystack}. */
  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
