package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.grievance.ssd.image.ImageFormat;
import org.grievance.ssd.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageUploadTest {
  @TempDir Path dir;

  @Test
  void sniffsEveryAcceptedFormatFromItsFirstBytes() throws IOException {
    RgbImage scene = PhonePhotos.portrait(20, 16);
    assertThat(ImageFormat.sniff(TestModels.jpeg(20, 16, 1))).contains(ImageFormat.JPEG);
    assertThat(ImageFormat.sniff(PhonePhotos.encoded(scene, "png"))).contains(ImageFormat.PNG);
    assertThat(ImageFormat.sniff(PhonePhotos.encoded(scene, "gif"))).contains(ImageFormat.GIF);
    assertThat(ImageFormat.sniff(PhonePhotos.encoded(scene, "bmp"))).contains(ImageFormat.BMP);
    assertThat(ImageFormat.sniff(PhonePhotos.webp())).contains(ImageFormat.WEBP);
    // A RIFF container of something else (a WAV file) is no WebP.
    byte[] wav = "RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.US_ASCII);
    assertThat(ImageFormat.sniff(wav)).isEmpty();
  }

  @Test
  void recognisesThePhoneFormatsItRefuses() {
    assertThat(ImageFormat.sniff(PhonePhotos.isoMedia("heic"))).contains(ImageFormat.HEIF);
    assertThat(ImageFormat.sniff(PhonePhotos.isoMedia("mif1"))).contains(ImageFormat.HEIF);
    assertThat(ImageFormat.sniff(PhonePhotos.isoMedia("avif"))).contains(ImageFormat.AVIF);
    // An MP4 video: an ISO media file whose brands name no image format.
    byte[] mp4 = new byte[32];
    byte[] box = "\0\0\0\u0018ftypmp42\0\0\0\0isommp42".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(box, 0, mp4, 0, box.length);
    assertThat(ImageFormat.sniff(mp4)).isEmpty();
    assertThat(ImageFormat.HEIF.accepted()).isFalse();
  }

  @Test
  void sweepDeletesOnlyLeftOverCopiesOfUploads() throws IOException {
    Path scratch = dir.resolve("tmp");
    assertThat(ImageUpload.sweepTemporaryCopies(scratch)).isZero();
    Path left = ImageUpload.temporaryCopy(new byte[] {1, 2, 3}, scratch, ImageFormat.JPEG);
    Path other = Files.writeString(scratch.resolve("notes.txt"), "kept");
    assertThat(ImageUpload.sweepTemporaryCopies(scratch)).isEqualTo(1);
    assertThat(left).doesNotExist();
    assertThat(other).exists();
  }
}
