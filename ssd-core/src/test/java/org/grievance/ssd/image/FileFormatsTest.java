package org.grievance.ssd.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.assertj.core.data.Offset;
import org.grievance.ssd.testing.ExifPhotos;
import org.grievance.ssd.testing.ExifPhotos.Exif;
import org.grievance.ssd.testing.WebpImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The formats phones and browsers upload: progressive JPEG, JPEG with a broken colour profile, WebP
 * lossy and lossless (with EXIF), PNG with EXIF; HEIC and AVIF refused by name.
 */
class FileFormatsTest {
  @TempDir Path dir;

  private static final int[][] QUADRANTS = {
    {230, 20, 20}, {20, 230, 20}, {20, 20, 230}, {230, 230, 20}
  };

  /** Four flat quadrants: red, green / blue, yellow. */
  private static RgbImage quadrants(int h, int w) {
    byte[] px = new byte[h * w * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] c = QUADRANTS[(y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1)];
        for (int k = 0; k < 3; k++) {
          px[(y * w + x) * 3 + k] = (byte) c[k];
        }
      }
    }
    return new RgbImage(h, w, px);
  }

  /** The centre of each quadrant has its colour, within {@code tolerance}. */
  private static void assertQuadrants(RgbImage img, int tolerance) {
    int h = img.height();
    int w = img.width();
    int[][] centres = {
      {h / 4, w / 4}, {h / 4, 3 * w / 4}, {3 * h / 4, w / 4}, {3 * h / 4, 3 * w / 4}
    };
    for (int q = 0; q < 4; q++) {
      for (int c = 0; c < 3; c++) {
        assertThat(img.get(centres[q][0], centres[q][1], c))
            .as("quadrant %d channel %d", q, c)
            .isCloseTo(QUADRANTS[q][c], Offset.offset(tolerance));
      }
    }
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, bytes);
    return f;
  }

  @Test
  void progressiveJpegIsRead() throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(buffer)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      writer.write(null, new IIOImage(quadrants(48, 64).toBufferedImage(), null, null), param);
    } finally {
      writer.dispose();
    }
    byte[] jpeg = buffer.toByteArray();
    assertThat(hasMarker(jpeg, 0xC2)).as("the fixture is progressive (SOF2)").isTrue();
    Path f = write("progressive.jpg", jpeg);

    assertThat(ImageFormat.sniff(f)).contains(ImageFormat.JPEG);
    assertThat(ImageFiles.readSize(f)).isEqualTo(new ImageFiles.Size(48, 64));
    assertQuadrants(ImageFiles.read(f), 12);
  }

  /** Whether a JPEG's marker segments (before the scan data) include {@code 0xFF marker}. */
  private static boolean hasMarker(byte[] jpeg, int marker) {
    int at = 2;
    while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
      int m = jpeg[at + 1] & 0xFF;
      if (m == marker) {
        return true;
      }
      if (m == 0xDA) {
        return false;
      }
      at += 2 + (((jpeg[at + 2] & 0xFF) << 8) | (jpeg[at + 3] & 0xFF));
    }
    return false;
  }

  @Test
  void losslessWebpIsReadExactly() throws IOException {
    RgbImage img = quadrants(12, 18);
    Path f = write("lossless.webp", WebpImages.lossless(img));
    assertThat(ImageFormat.sniff(f)).contains(ImageFormat.WEBP);
    assertThat(ImageFiles.readSize(f)).isEqualTo(new ImageFiles.Size(12, 18));
    assertThat(ImageFiles.read(f)).isEqualTo(img);
  }

  @Test
  void lossyWebpFromCwebpIsRead() throws IOException {
    Path f = dir.resolve("lossy.webp");
    try (InputStream in = getClass().getResourceAsStream("/images/quadrants-lossy-cwebp.webp")) {
      Files.copy(in, f);
    }
    assertThat(ImageFiles.readSize(f)).isEqualTo(new ImageFiles.Size(24, 32));
    assertQuadrants(ImageFiles.read(f), 24);
  }

  @Test
  void webpAndPngCarryTheirExifOrientationToo() throws IOException {
    RgbImage upright = quadrants(12, 18);
    RgbImage stored = ExifPhotos.storedPixels(upright, Orientation.ROTATE_90_CW);
    Exif exif = new Exif(Orientation.ROTATE_90_CW, 52.52, 13.405, "marker");

    Path webp = write("phone.webp", WebpImages.withExif(stored, exif));
    assertThat(ImageFiles.readStoredSize(webp)).isEqualTo(new ImageFiles.Size(18, 12));
    assertThat(ImageFiles.readSize(webp)).isEqualTo(new ImageFiles.Size(12, 18));
    assertThat(ImageFiles.read(webp)).isEqualTo(upright);
    assertThat(PhotoMetadata.read(webp).location()).isPresent();

    Path png = write("phone.png", ExifPhotos.withPngExif(ImageFiles.pngBytes(stored), exif));
    assertThat(ImageFiles.readSize(png)).isEqualTo(new ImageFiles.Size(12, 18));
    assertThat(ImageFiles.read(png)).isEqualTo(upright);
  }

  /** A minimal ISO-BMFF file: an {@code ftyp} box with these brands, then a stub {@code meta}. */
  private static byte[] isoMedia(String major, String... compatible) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int size = 16 + 4 * compatible.length;
    out.writeBytes(new byte[] {0, 0, 0, (byte) size});
    out.writeBytes("ftyp".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(major.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(new byte[4]); // minor version
    for (String b : compatible) {
      out.writeBytes(b.getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(new byte[] {0, 0, 0, 12, 'm', 'e', 't', 'a', 0, 0, 0, 0});
    return out.toByteArray();
  }

  @Test
  void heicAndAvifAreRefusedNamingTheAcceptedFormats() throws IOException {
    Path heic = write("IMG_0001.HEIC", isoMedia("heic", "mif1", "heic"));
    assertThatThrownBy(() -> ImageFiles.read(heic))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("IMG_0001.HEIC")
        .hasMessageContaining("HEIC/HEIF images are not supported")
        .hasMessageContaining("accepted formats: JPEG, PNG, WebP, BMP or GIF");
    assertThatThrownBy(() -> ImageFiles.readSize(heic))
        .hasMessageContaining("HEIC/HEIF images are not supported");

    // AVIF lists the generic HEIF brand too; it is still named AVIF.
    Path avif = write("photo.avif", isoMedia("mif1", "avif", "mif1", "miaf"));
    assertThatThrownBy(() -> ImageFiles.read(avif))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining(
            "AVIF images are not supported; accepted formats: JPEG, PNG, WebP," + " BMP or GIF");

    // Other ISO media (an MP4 video) is simply not an image.
    Path mp4 = write("clip.jpg", isoMedia("isom", "isom", "mp42"));
    assertThatThrownBy(() -> ImageFiles.read(mp4))
        .hasMessageContaining("not a recognised image format (JPEG, PNG, WebP, BMP or GIF");
  }

  /** {@code jpeg} with an APP2 ICC_PROFILE segment (one chunk of one) holding {@code profile}. */
  private static byte[] withIccProfile(byte[] jpeg, byte[] profile) {
    byte[] id = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
    int length = 2 + id.length + 2 + profile.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE2, (byte) (length >> 8), (byte) length});
    out.writeBytes(id);
    out.writeBytes(new byte[] {1, 1});
    out.writeBytes(profile);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  /**
   * Random bytes as profile: the JDK decoder reads the pixels and warns "Embedded color profile is
   * invalid; ignored". Such a warning used to fail the read like damage; a regression test.
   */
  @Test
  void jpegWithAGarbageIccProfileIsReadByTheJdkDecoder() throws IOException {
    byte[] garbage = new byte[300];
    new Random(1).nextBytes(garbage);
    Path f =
        write(
            "garbage-icc.jpg",
            withIccProfile(ImageFiles.jpegBytes(quadrants(16, 16), 0.95f), garbage));
    assertQuadrants(ImageFiles.read(f), 12);
  }

  /**
   * A well-formed sRGB profile relabelled as a device-link profile: the JDK decoder throws
   * ("Invalid profile type"), and the TwelveMonkeys decoder, next in line, reads the pixels
   * ignoring the profile.
   */
  @Test
  void jpegWithAProfileTheJdkRefusesIsReadByTheFallbackDecoder() throws IOException {
    byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
    System.arraycopy("link".getBytes(StandardCharsets.US_ASCII), 0, profile, 12, 4);
    Path f =
        write(
            "link-icc.jpg",
            withIccProfile(ImageFiles.jpegBytes(quadrants(16, 16), 0.95f), profile));

    assertThatThrownBy(() -> readWithJdkDecoderOnly(f))
        .as("the JDK decoder alone fails, so the fallback is what reads it")
        .isInstanceOf(IllegalArgumentException.class);
    assertQuadrants(ImageFiles.read(f), 12);
  }

  private static void readWithJdkDecoderOnly(Path f) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
      var readers = ImageIO.getImageReaders(in);
      while (readers.hasNext()) {
        ImageReader r = readers.next();
        if (r.getClass().getName().startsWith("com.sun.imageio.")) {
          r.setInput(in);
          r.read(0);
          return;
        }
      }
    }
    throw new AssertionError("no JDK JPEG decoder");
  }
}
