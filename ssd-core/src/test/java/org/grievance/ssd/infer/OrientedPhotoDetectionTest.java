package org.grievance.ssd.infer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.Orientation;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.testing.ExifPhotos;
import org.grievance.ssd.testing.ExifPhotos.Exif;
import org.grievance.ssd.testing.TinyModels;
import org.grievance.ssd.testing.WebpImages;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same scene written with each of the eight EXIF orientations gives the same detections in the
 * displayed frame, through the real path: file, {@link ImageFiles#read}, {@link Detector}.
 *
 * <p>The model is an untrained tiny SSD7 ({@link TinyModels}): its boxes are a fixed but wildly
 * sensitive function of the pixels (a difference of 2 grey levels on a few hundred pixels moves its
 * boxes by up to 5 px), so the eight files must decode to the same displayed pixels for a 1 px
 * tolerance to mean anything. JPEG does that only for a scene of flat grey blocks on the 8x8 (16x16
 * for chroma) grid: each block then holds only its DC coefficient and no chroma, which no turn or
 * mirror changes, while colour edges come back up to 2 levels apart through chroma upsampling. So
 * the JPEG case uses a grey scene; PNG (with an {@code eXIf} chunk) and lossless WebP (with an
 * {@code EXIF} chunk) carry a coloured one exactly. The control at the end shows that the stored
 * pixels, orientation ignored, give other detections: the comparison can fail.
 */
class OrientedPhotoDetectionTest {
  private static final int H = 144;
  private static final int W = 192;

  private static final DetectorOptions OPTIONS =
      DetectorOptions.builder().confidenceThreshold(0.3).topK(50).threads(1).build();

  @TempDir Path tmp;

  /** How a phone writes the file. */
  enum Container {
    JPEG(true),
    PNG(false),
    WEBP(false);

    final boolean grey;

    Container(boolean grey) {
      this.grey = grey;
    }

    byte[] write(RgbImage stored, Orientation o) throws IOException {
      Exif exif = Exif.orientation(o);
      return switch (this) {
        case JPEG -> ExifPhotos.withExif(ImageFiles.jpegBytes(stored, 0.95f), exif);
        case PNG -> ExifPhotos.withPngExif(ImageFiles.pngBytes(stored), exif);
        case WEBP -> WebpImages.withExif(stored, exif);
      };
    }
  }

  /**
   * A street-like scene of flat blocks on the 16-pixel grid, asymmetric so that every turn and
   * mirror changes it: a dark road, a bright "pothole" low left, a tall "streetlight" right.
   */
  private static RgbImage scene(boolean grey) {
    int[][] blocks = { // x0, y0, x1, y1 (16-pixel units), r, g, b
      {0, 5, 12, 9, 70, 70, 80},
      {2, 6, 5, 8, 200, 60, 40},
      {9, 1, 10, 6, 230, 220, 90},
      {1, 1, 4, 3, 60, 120, 200},
    };
    byte[] px = new byte[H * W * 3];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int[] c = {150, 160, 170};
        for (int[] b : blocks) {
          if (x >= b[0] * 16 && x < b[2] * 16 && y >= b[1] * 16 && y < b[3] * 16) {
            c = new int[] {b[4], b[5], b[6]};
          }
        }
        int o = (y * W + x) * 3;
        for (int k = 0; k < 3; k++) {
          px[o + k] = (byte) (grey ? (c[0] + c[1] + c[2]) / 3 : c[k]);
        }
      }
    }
    return new RgbImage(H, W, px);
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void eightOrientationsGiveTheSameDetectionsInTheDisplayedFrame(Container container)
      throws IOException {
    RgbImage upright = scene(container.grey);
    try (Model model = TinyModels.model(41);
        Detector detector = Detector.of(model, TinyModels.DESCRIPTION, OPTIONS)) {
      List<Detection> reference = null;
      for (Orientation o : Orientation.values()) {
        Path file = tmp.resolve(container + "-" + o.exifValue());
        Files.write(file, container.write(ExifPhotos.storedPixels(upright, o), o));

        RgbImage shown = ImageFiles.read(file);
        assertThat(shown.height()).as("%s displayed height", o).isEqualTo(H);
        assertThat(shown.width()).as("%s displayed width", o).isEqualTo(W);
        List<Detection> found = detector.detect(shown);
        if (reference == null) {
          reference = found;
          assertThat(reference).as("the scene gives detections").hasSizeGreaterThan(3);
          continue;
        }
        assertThat(sameWithin(found, reference, 1.0))
            .as("%s %s: detections in the displayed frame", container, o)
            .isTrue();

        // Control: the stored pixels, orientation ignored, give other detections.
        List<Detection> sideways = detector.detect(ImageFiles.readStored(file));
        assertThat(sameWithin(sideways, reference, 1.0))
            .as("%s %s: detections on the stored pixels", container, o)
            .isFalse();
      }
    }
  }

  /** Same count, and pairwise in order the same class and score, each edge within {@code px}. */
  private static boolean sameWithin(List<Detection> a, List<Detection> b, double px) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      Detection p = a.get(i);
      Detection q = b.get(i);
      if (p.classId() != q.classId()
          || Math.abs(p.score() - q.score()) > 1e-3
          || Math.abs(p.xmin() - q.xmin()) > px
          || Math.abs(p.ymin() - q.ymin()) > px
          || Math.abs(p.xmax() - q.xmax()) > px
          || Math.abs(p.ymax() - q.ymax()) > px) {
        return false;
      }
    }
    return true;
  }
}
