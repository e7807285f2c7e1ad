package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.register.ImageUpload.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageUploadTest {
  @TempDir Path dir;

  @Test
  void sniffsEveryAcceptedFormatFromItsFirstBytes() throws IOException {
    RgbImage scene = PhonePhotos.portrait(20, 16);
    assertThat(ImageUpload.sniff(TestModels.jpeg(20, 16, 1))).isEqualTo(Format.JPEG);
    assertThat(ImageUpload.sniff(PhonePhotos.encoded(scene, "png"))).isEqualTo(Format.PNG);
    assertThat(ImageUpload.sniff(PhonePhotos.encoded(scene, "gif"))).isEqualTo(Format.GIF);
    assertThat(ImageUpload.sniff(PhonePhotos.encoded(scene, "bmp"))).isEqualTo(Format.BMP);
    assertThat(ImageUpload.sniff(PhonePhotos.webp())).isEqualTo(Format.WEBP);
    // A RIFF container of something else (a WAV file) is no WebP.
    byte[] wav = "RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.US_ASCII);
    assertThat(ImageUpload.sniff(wav)).isNull();
  }

  @Test
  void namesThePhoneFormatsItRefuses() {
    assertThat(ImageUpload.refusedFormat(PhonePhotos.isoMedia("heic"))).isEqualTo("HEIC");
    assertThat(ImageUpload.refusedFormat(PhonePhotos.isoMedia("mif1"))).isEqualTo("HEIF");
    assertThat(ImageUpload.refusedFormat(PhonePhotos.isoMedia("avif"))).isEqualTo("AVIF");
    assertThat(ImageUpload.refusedFormat(PhonePhotos.isoMedia("mp42"))).isNull();
    assertThat(ImageUpload.sniff(PhonePhotos.isoMedia("heic"))).isNull();
  }

  @Test
  void sweepDeletesOnlyLeftOverCopiesOfUploads() throws IOException {
    Path scratch = dir.resolve("tmp");
    assertThat(ImageUpload.sweepTemporaryCopies(scratch)).isZero();
    Path left = ImageUpload.temporaryCopy(new byte[] {1, 2, 3}, scratch, Format.JPEG);
    Path other = Files.writeString(scratch.resolve("notes.txt"), "kept");
    assertThat(ImageUpload.sweepTemporaryCopies(scratch)).isEqualTo(1);
    assertThat(left).doesNotExist();
    assertThat(other).exists();
  }
}
