package org.grievance.ssd.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.grievance.ssd.testing.ExifPhotos;
import org.grievance.ssd.testing.ExifPhotos.Exif;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OrientationTest {
  @TempDir Path dir;

  /** A 3x5 image whose every pixel is distinct, so any wrong mapping shows. */
  private static RgbImage numbered(int h, int w) {
    byte[] px = new byte[h * w * 3];
    for (int i = 0; i < h * w; i++) {
      px[i * 3] = (byte) i;
      px[i * 3 + 1] = (byte) (i * 7);
      px[i * 3 + 2] = (byte) (255 - i);
    }
    return new RgbImage(h, w, px);
  }

  @Test
  void portraitPhoneTagTurnsTheStoredImageClockwise() {
    RgbImage stored = numbered(2, 3); // landscape as the sensor stores it
    RgbImage shown = Orientation.ROTATE_90_CW.toDisplayed(stored);
    assertThat(shown.height()).isEqualTo(3);
    assertThat(shown.width()).isEqualTo(2);
    // The stored top-left pixel ends at the displayed top-right after a clockwise quarter turn.
    assertThat(shown.get(0, 1, 0)).isEqualTo(stored.get(0, 0, 0));
    // The stored bottom-left pixel ends at the displayed top-left.
    assertThat(shown.get(0, 0, 0)).isEqualTo(stored.get(1, 0, 0));
  }

  @ParameterizedTest
  @EnumSource(Orientation.class)
  void everyOrientationAgreesWithItsPointMappingAndIsUndoneByTheFixture(Orientation o) {
    RgbImage upright = numbered(3, 5);
    RgbImage stored = ExifPhotos.storedPixels(upright, o);
    assertThat(o.toDisplayed(stored)).isEqualTo(upright);
    ImageFiles.Size size = o.displayedSize(stored.height(), stored.width());
    assertThat(size).isEqualTo(new ImageFiles.Size(3, 5));
    for (int y = 0; y < stored.height(); y++) {
      for (int x = 0; x < stored.width(); x++) {
        int[] d = o.displayedPoint(x, y, stored.height(), stored.width());
        assertThat(upright.get(d[1], d[0], 0)).isEqualTo(stored.get(y, x, 0));
      }
    }
  }

  /**
   * The box of a block of stored pixels lands on the box of the displayed pixels they become, both
   * for 0-based edges (extent = size) and for 1-based inclusive pixel indices (extent = size + 1).
   */
  @ParameterizedTest
  @EnumSource(Orientation.class)
  void boxesFollowTheirPixels(Orientation o) {
    int sh = 7;
    int sw = 11;
    int x0 = 2;
    int x1 = 5; // pixels x0..x1-1
    int y0 = 1;
    int y1 = 6;
    int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE};
    int[] hi = {Integer.MIN_VALUE, Integer.MIN_VALUE};
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        int[] d = o.displayedPoint(x, y, sh, sw);
        for (int k = 0; k < 2; k++) {
          lo[k] = Math.min(lo[k], d[k]);
          hi[k] = Math.max(hi[k], d[k]);
        }
      }
    }
    assertThat(o.displayedBox(x0, y0, x1, y1, sh, sw))
        .as("0-based edges")
        .containsExactly(lo[0], lo[1], hi[0] + 1, hi[1] + 1);
    assertThat(o.displayedBox(x0 + 1, y0 + 1, x1, y1, sh + 1, sw + 1))
        .as("1-based inclusive pixels")
        .containsExactly(lo[0] + 1, lo[1] + 1, hi[0] + 1, hi[1] + 1);

    ImageFiles.Size shown = o.displayedSize(sh, sw);
    double[] there = o.displayedBox(x0, y0, x1, y1, sh, sw);
    assertThat(
            o.inverse()
                .displayedBox(
                    there[0], there[1], there[2], there[3], shown.height(), shown.width()))
        .as("the inverse brings the box back")
        .containsExactly(x0, y0, x1, y1);
  }

  @Test
  void unknownTagValuesMeanUpright() {
    assertThat(Orientation.ofExif(0)).isEqualTo(Orientation.NORMAL);
    assertThat(Orientation.ofExif(9)).isEqualTo(Orientation.NORMAL);
    assertThat(Orientation.ofExif(6)).isEqualTo(Orientation.ROTATE_90_CW);
  }

  /** Four flat quadrants of distinct colours survive JPEG well enough to check where each went. */
  private static RgbImage quadrants(int h, int w) {
    int[][] colours = {{230, 20, 20}, {20, 230, 20}, {20, 20, 230}, {230, 230, 20}};
    byte[] px = new byte[h * w * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] c = colours[(y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1)];
        int o = (y * w + x) * 3;
        px[o] = (byte) c[0];
        px[o + 1] = (byte) c[1];
        px[o + 2] = (byte) c[2];
      }
    }
    return new RgbImage(h, w, px);
  }

  @ParameterizedTest
  @EnumSource(Orientation.class)
  void readingAPhoneJpegAppliesItsOrientation(Orientation o) throws IOException {
    RgbImage upright = quadrants(48, 64);
    byte[] jpeg = ImageFiles.jpegBytes(ExifPhotos.storedPixels(upright, o), 0.95f);
    Path file = dir.resolve("photo-" + o.exifValue() + ".jpg");
    Files.write(file, ExifPhotos.withExif(jpeg, Exif.orientation(o)));

    assertThat(PhotoMetadata.read(file).orientation()).isEqualTo(o);
    assertThat(ImageFiles.readSize(file)).isEqualTo(new ImageFiles.Size(48, 64));
    RgbImage read = ImageFiles.read(file);
    assertThat(read.height()).isEqualTo(48);
    assertThat(read.width()).isEqualTo(64);
    for (int[] p : new int[][] {{10, 10}, {10, 50}, {38, 10}, {38, 50}}) {
      for (int c = 0; c < 3; c++) {
        assertThat(read.get(p[0], p[1], c))
            .as("pixel %s channel %d", java.util.Arrays.toString(p), c)
            .isCloseTo(upright.get(p[0], p[1], c), org.assertj.core.data.Offset.offset(12));
      }
    }
  }

  @Test
  void gpsIsReadFromTheExifBlockAndAbsentWithoutOne() throws IOException {
    byte[] jpeg = ImageFiles.jpegBytes(quadrants(16, 16), 0.9f);
    byte[] tagged =
        ExifPhotos.withExif(
            jpeg, new Exif(Orientation.NORMAL, 48.858222, -2.2945, "marker-string"));
    PhotoMetadata meta = PhotoMetadata.read(tagged);
    assertThat(meta.location()).isPresent();
    assertThat(meta.location().get().latitude())
        .isCloseTo(48.858222, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(meta.location().get().longitude())
        .isCloseTo(-2.2945, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(PhotoMetadata.read(jpeg)).isEqualTo(PhotoMetadata.NONE);
  }

  @Test
  void damagedMetadataDoesNotMakeThePhotoUnreadable() {
    byte[] garbage = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, 0, 8, 'E', 'x', 'i', 'f'};
    assertThat(PhotoMetadata.read(garbage)).isEqualTo(PhotoMetadata.NONE);
  }
}
