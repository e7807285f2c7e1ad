package org.grievance.ssd.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.grievance.ssd.testing.WebpImages;
import org.junit.jupiter.api.Test;

class ImageFormatTest {
  private static final RgbImage TINY = new RgbImage(4, 6, new byte[4 * 6 * 3]);

  private static byte[] imageIo(String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(TINY.toBufferedImage(), format, out)).isTrue();
    return out.toByteArray();
  }

  private static byte[] ftyp(String major, String... compatible) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0, 0, 0, (byte) (16 + 4 * compatible.length)});
    out.writeBytes(("ftyp" + major + "\0\0\0\0").getBytes(StandardCharsets.ISO_8859_1));
    for (String b : compatible) {
      out.writeBytes(b.getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes(new byte[16]); // the next box
    return out.toByteArray();
  }

  @Test
  void realFilesOfEachAcceptedFormatAreRecognised() throws IOException {
    assertThat(ImageFormat.sniff(ImageFiles.jpegBytes(TINY, 0.9f))).contains(ImageFormat.JPEG);
    assertThat(ImageFormat.sniff(ImageFiles.pngBytes(TINY))).contains(ImageFormat.PNG);
    assertThat(ImageFormat.sniff(WebpImages.lossless(TINY))).contains(ImageFormat.WEBP);
    assertThat(ImageFormat.sniff(imageIo("bmp"))).contains(ImageFormat.BMP);
    assertThat(ImageFormat.sniff(imageIo("gif"))).contains(ImageFormat.GIF);
    for (ImageFormat f :
        new ImageFormat[] {
          ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.WEBP, ImageFormat.BMP, ImageFormat.GIF
        }) {
      assertThat(f.accepted()).as(f.name()).isTrue();
      assertThat(f.refusal()).isNull();
      assertThat(ImageFormat.ACCEPTED).contains(f.displayName());
    }
  }

  @Test
  void heifAndAvifBrandsAreRecognisedToBeRefused() {
    assertThat(ImageFormat.sniff(ftyp("heic", "mif1", "heic"))).contains(ImageFormat.HEIF);
    assertThat(ImageFormat.sniff(ftyp("heix"))).contains(ImageFormat.HEIF);
    assertThat(ImageFormat.sniff(ftyp("mif1", "heic"))).contains(ImageFormat.HEIF);
    assertThat(ImageFormat.sniff(ftyp("msf1", "hevc"))).contains(ImageFormat.HEIF);
    assertThat(ImageFormat.sniff(ftyp("avif", "mif1", "miaf"))).contains(ImageFormat.AVIF);
    assertThat(ImageFormat.sniff(ftyp("mif1", "avif", "mif1"))).contains(ImageFormat.AVIF);
    assertThat(ImageFormat.sniff(ftyp("avis", "msf1"))).contains(ImageFormat.AVIF);
    assertThat(ImageFormat.HEIF.accepted()).isFalse();
    assertThat(ImageFormat.AVIF.refusal())
        .isEqualTo("AVIF images are not supported; accepted formats: JPEG, PNG, WebP, BMP or GIF");
    assertThat(ImageFormat.HEIF.mediaType()).isEqualTo("image/heif");
  }

  @Test
  void otherBytesAreNoKnownFormat() {
    assertThat(ImageFormat.sniff(ftyp("isom", "isom", "mp42"))).isEmpty();
    // A brand only after the box's end does not count.
    byte[] shortBox = ftyp("isom", "mp42");
    byte[] afterEnd = Arrays.copyOf(shortBox, shortBox.length);
    System.arraycopy("heic".getBytes(StandardCharsets.ISO_8859_1), 0, afterEnd, 20, 4);
    assertThat(ImageFormat.sniff(afterEnd)).isEmpty();
    assertThat(ImageFormat.sniff(new byte[0])).isEmpty();
    assertThat(ImageFormat.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8})).isEmpty();
    assertThat(ImageFormat.sniff("RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1)))
        .isEmpty();
    assertThat(ImageFormat.sniff("<html><body>".getBytes(StandardCharsets.ISO_8859_1))).isEmpty();
  }
}
