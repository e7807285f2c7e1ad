package org.grievance.ssd.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
  @TempDir Path dir;

  /** 6x4 test pattern: left half red, right half blue, bottom row white. */
  private static BufferedImage pattern(int type) {
    BufferedImage img = new BufferedImage(6, 4, type);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, 3, 3);
    g.setColor(Color.BLUE);
    g.fillRect(3, 0, 3, 3);
    g.setColor(Color.WHITE);
    g.fillRect(0, 3, 6, 1);
    g.dispose();
    return img;
  }

  private static void assertPixel(RgbImage img, int y, int x, int r, int g, int b, int tol) {
    int[] actual = {img.get(y, x, 0), img.get(y, x, 1), img.get(y, x, 2)};
    assertThat(
            Math.abs(actual[0] - r) <= tol
                && Math.abs(actual[1] - g) <= tol
                && Math.abs(actual[2] - b) <= tol)
        .as("pixel (%d,%d) = %s, expected ~(%d,%d,%d)", y, x, Arrays.toString(actual), r, g, b)
        .isTrue();
  }

  @Test
  void pngRoundTripIsLossless() throws IOException {
    RgbImage img = RgbImage.fromBufferedImage(pattern(BufferedImage.TYPE_INT_RGB));
    Path f = dir.resolve("a.png");
    ImageFiles.writePng(img, f);
    assertThat(ImageFiles.read(f)).isEqualTo(img);
    assertThat(ImageFiles.readSize(f)).isEqualTo(new ImageFiles.Size(4, 6));
  }

  @Test
  void jpegRoundTripIsClose() throws IOException {
    RgbImage img = RgbImage.filled(16, 24, 40, 160, 220);
    Path f = dir.resolve("a.jpg");
    ImageFiles.writeJpeg(img, f, 0.95f);
    RgbImage back = ImageFiles.read(f);
    assertThat(back.height()).isEqualTo(16);
    assertThat(back.width()).isEqualTo(24);
    assertPixel(back, 8, 12, 40, 160, 220, 4);
    assertThat(ImageFiles.readSize(f)).isEqualTo(new ImageFiles.Size(16, 24));
  }

  @Test
  void jpegQualityIsValidated() {
    RgbImage img = RgbImage.filled(2, 2, 0, 0, 0);
    assertThatThrownBy(() -> ImageFiles.writeJpeg(img, dir.resolve("q.jpg"), 0f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("quality");
  }

  @Test
  void jpegOfAlphaImageIsWrittenAsRgb() throws IOException {
    Path f = dir.resolve("alpha.jpg");
    ImageFiles.writeJpeg(pattern(BufferedImage.TYPE_INT_ARGB), f, 0.95f);
    assertThat(ImageFiles.readSize(f)).isEqualTo(new ImageFiles.Size(4, 6));
  }

  @Test
  void grayscalePngBecomesThreeEqualChannels() throws IOException {
    BufferedImage gray = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster r = gray.getRaster();
    for (int x = 0; x < 5; x++) {
      r.setSample(x, 1, 0, 50 * x);
    }
    Path f = dir.resolve("gray.png");
    ImageIO.write(gray, "png", f.toFile());
    RgbImage img = ImageFiles.read(f);
    for (int x = 0; x < 5; x++) {
      // Java2D maps linear-gray samples through sRGB conversion; equal channels is the contract.
      assertThat(img.get(1, x, 0)).isEqualTo(img.get(1, x, 1)).isEqualTo(img.get(1, x, 2));
    }
    assertThat(img.get(1, 4, 0)).isGreaterThan(img.get(1, 1, 0));
    assertThat(img.get(0, 0, 0)).isZero();
  }

  @Test
  void rgbaPngDropsAlpha() throws IOException {
    BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x80FF0000); // half-transparent red
    argb.setRGB(1, 0, 0x0000FF00); // fully transparent green
    Path f = dir.resolve("rgba.png");
    ImageIO.write(argb, "png", f.toFile());
    RgbImage img = ImageFiles.read(f);
    assertPixel(img, 0, 0, 255, 0, 0, 0);
    assertPixel(img, 0, 1, 0, 255, 0, 0);
  }

  @Test
  void indexedPngUsesThePalette() throws IOException {
    byte[] reds = {(byte) 255, 0, 10, 0};
    byte[] greens = {0, (byte) 255, 20, 0};
    byte[] blues = {0, 0, 30, (byte) 255};
    IndexColorModel palette = new IndexColorModel(8, 4, reds, greens, blues);
    BufferedImage indexed = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_INDEXED, palette);
    WritableRaster r = indexed.getRaster();
    for (int x = 0; x < 3; x++) {
      r.setSample(x, 0, 0, x);
      r.setSample(x, 1, 0, 2 - x);
    }
    // (The JDK's GIF and BMP writers garble this tiny 2x3 palette image, so only PNG here.)
    for (String format : new String[] {"png"}) {
      Path f = dir.resolve("indexed." + format);
      assertThat(ImageIO.write(indexed, format, f.toFile())).as(format).isTrue();
      RgbImage img = ImageFiles.read(f);
      assertThat(ImageFiles.readSize(f)).as(format).isEqualTo(new ImageFiles.Size(2, 3));
      assertPixel(img, 0, 0, 255, 0, 0, 0);
      assertPixel(img, 0, 1, 0, 255, 0, 0);
      assertPixel(img, 0, 2, 10, 20, 30, 0);
      assertPixel(img, 1, 0, 10, 20, 30, 0);
    }
  }

  @Test
  void bmpAndGifAreRead() throws IOException {
    for (String format : new String[] {"bmp", "gif"}) {
      Path f = dir.resolve("pattern." + format);
      ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
      var param = writer.getDefaultWriteParam();
      if (param.canWriteProgressive()) {
        // The JDK GIF reader mis-decodes the interlaced GIFs its own writer makes this small.
        param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DISABLED);
      }
      try (ImageOutputStream out = ImageIO.createImageOutputStream(f.toFile())) {
        writer.setOutput(out);
        writer.write(null, new IIOImage(pattern(BufferedImage.TYPE_INT_RGB), null, null), param);
      } finally {
        writer.dispose();
      }
      RgbImage img = ImageFiles.read(f);
      assertThat(ImageFiles.readSize(f)).as(format).isEqualTo(new ImageFiles.Size(4, 6));
      assertPixel(img, 1, 1, 255, 0, 0, 0);
      assertPixel(img, 1, 4, 0, 0, 255, 0);
      assertPixel(img, 3, 2, 255, 255, 255, 0);
    }
  }

  @Test
  void ycckJpegFromImageMagickIsConverted() throws IOException {
    Path f = dir.resolve("ycck.jpg");
    try (InputStream in =
        getClass().getResourceAsStream("/images/ycck-quadrants-imagemagick.jpg")) {
      Files.copy(in, f);
    }
    RgbImage img = ImageFiles.read(f);
    assertThat(ImageFiles.readSize(f)).isEqualTo(new ImageFiles.Size(16, 16));
    assertPixel(img, 3, 3, 255, 0, 0, 24);
    assertPixel(img, 3, 12, 0, 255, 0, 24);
    assertPixel(img, 12, 3, 0, 0, 255, 24);
    assertPixel(img, 12, 12, 255, 255, 255, 24);
  }

  /**
   * CMYK ink amounts (255 = full ink) for red, green, blue, white, black: pure colours only, since
   * the JDK's own CMYK colour space maps intermediate inks non-linearly.
   */
  private static final int[][] INKS = {
    {0, 255, 255, 0}, {255, 0, 255, 0}, {255, 255, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 255}
  };

  private static final int[][] RGB_OF_INKS = {
    {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}, {0, 0, 0}
  };

  /**
   * Writes 8x8 blocks of each ink side by side as a four-channel JPEG with the JDK writer, channels
   * stored inverted (Adobe style); with {@code adobeMarker} an APP14 "Adobe" segment (transform 0,
   * plain CMYK) is spliced in after SOI, as Photoshop writes it.
   */
  private Path writeCmykJpeg(String name, boolean adobeMarker) throws IOException {
    int n = INKS.length;
    WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 8 * n, 8, 4, null);
    for (int i = 0; i < n; i++) {
      int[] px = new int[4];
      for (int c = 0; c < 4; c++) {
        px[c] = 255 - INKS[i][c];
      }
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          r.setPixel(8 * i + x, y, px);
        }
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    var buffer = new java.io.ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(buffer)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(r, null, null), writer.getDefaultWriteParam());
    } finally {
      writer.dispose();
    }
    byte[] jpeg = buffer.toByteArray();
    if (adobeMarker) {
      byte[] app14 = {
        (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0
      };
      byte[] spliced = new byte[jpeg.length + app14.length];
      System.arraycopy(jpeg, 0, spliced, 0, 2);
      System.arraycopy(app14, 0, spliced, 2, app14.length);
      System.arraycopy(jpeg, 2, spliced, 2 + app14.length, jpeg.length - 2);
      jpeg = spliced;
    }
    Path f = dir.resolve(name);
    Files.write(f, jpeg);
    return f;
  }

  @Test
  void fourChannelJpegWithoutAdobeMarkerIsReadAsInvertedCmyk() throws IOException {
    checkInks(ImageFiles.read(writeCmykJpeg("plain-cmyk.jpg", false)));
  }

  @Test
  void adobeCmykJpegIsConverted() throws IOException {
    checkInks(ImageFiles.read(writeCmykJpeg("adobe-cmyk.jpg", true)));
  }

  private static void checkInks(RgbImage img) {
    assertThat(img.width()).isEqualTo(8 * INKS.length);
    for (int i = 0; i < INKS.length; i++) {
      int[] e = RGB_OF_INKS[i];
      assertPixel(img, 4, 8 * i + 4, e[0], e[1], e[2], 12);
    }
  }

  @Test
  void corruptBytesNameTheFile() throws IOException {
    Path f = dir.resolve("noise.jpg");
    Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    assertThatThrownBy(() -> ImageFiles.read(f))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("noise.jpg")
        .hasMessageContaining("not a recognised image format");
    assertThatThrownBy(() -> ImageFiles.readSize(f)).isInstanceOf(ImageReadException.class);
  }

  @Test
  void emptyAndMissingFilesAreReported() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.png"));
    assertThatThrownBy(() -> ImageFiles.read(empty))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("empty.png")
        .hasMessageContaining("empty");
    Path missing = dir.resolve("missing.png");
    assertThatThrownBy(() -> ImageFiles.read(missing))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("missing.png")
        .hasMessageContaining("no such file");
  }

  @Test
  void truncatedJpegIsReported() throws IOException {
    BufferedImage noisy = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    java.util.Random rnd = new java.util.Random(1);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        noisy.setRGB(x, y, rnd.nextInt());
      }
    }
    Path full = dir.resolve("full.jpg");
    ImageFiles.writeJpeg(noisy, full, 0.9f);
    byte[] bytes = Files.readAllBytes(full);
    Path cut = dir.resolve("cut.jpg");
    // Keep the headers but drop most of the entropy-coded data.
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 3));
    assertThat(ImageFiles.readSize(cut)).isEqualTo(new ImageFiles.Size(64, 64));
    assertThatThrownBy(() -> ImageFiles.read(cut))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("cut.jpg")
        .hasMessageContaining("truncated");
    Path headerOnly = dir.resolve("header.jpg");
    Files.write(headerOnly, Arrays.copyOf(bytes, 30));
    assertThatThrownBy(() -> ImageFiles.readSize(headerOnly))
        .isInstanceOf(ImageReadException.class)
        .hasMessageContaining("header.jpg");
  }
}
