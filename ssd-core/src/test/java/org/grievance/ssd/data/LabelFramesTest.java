package org.grievance.ssd.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.grievance.ssd.data.LabelFrames.Decision;
import org.grievance.ssd.data.LabelFrames.Frame;
import org.grievance.ssd.data.LabelFrames.Reason;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.Orientation;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.testing.ExifPhotos;
import org.grievance.ssd.testing.ExifPhotos.Exif;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelFramesTest {
  @TempDir Path tmp;

  /** The upright scene: 64 high, 48 wide (a portrait photo), a red block off every axis. */
  private static final int H = 64;

  private static final int W = 48;

  /** The red block, 0-based edges: x in [8, 20), y in [36, 56). */
  private static final int[] BLOCK = {8, 36, 20, 56};

  private static RgbImage scene() {
    byte[] px = new byte[H * W * 3];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean in = x >= BLOCK[0] && x < BLOCK[2] && y >= BLOCK[1] && y < BLOCK[3];
        int o = (y * W + x) * 3;
        px[o] = (byte) (in ? 230 : 30);
        px[o + 1] = (byte) (in ? 20 : 30);
        px[o + 2] = (byte) (in ? 20 : 30);
      }
    }
    return new RgbImage(H, W, px);
  }

  /**
   * 0-based edges {@code {xmin, ymin, xmax, ymax}} of the red pixels of {@code img}, found by
   * scanning, so that the expected boxes do not come from the code under test.
   */
  private static int[] redBox(RgbImage img) {
    int[] b = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < img.width(); x++) {
        if (img.get(y, x, 0) > 150 && img.get(y, x, 1) < 100) {
          b[0] = Math.min(b[0], x);
          b[1] = Math.min(b[1], y);
          b[2] = Math.max(b[2], x + 1);
          b[3] = Math.max(b[3], y + 1);
        }
      }
    }
    return b;
  }

  /** Writes the scene as a camera would with orientation {@code o}; returns the stored pixels. */
  private static RgbImage photo(Path file, Orientation o) throws IOException {
    RgbImage stored = ExifPhotos.storedPixels(scene(), o);
    byte[] jpeg = ImageFiles.jpegBytes(stored, 0.95f);
    Files.createDirectories(file.getParent());
    Files.write(
        file, o == Orientation.NORMAL ? jpeg : ExifPhotos.withExif(jpeg, Exif.orientation(o)));
    return stored;
  }

  /** A VOC annotation with one "thing" at 1-based inclusive pixels, 0-based edges in {@code b}. */
  private static void vocXml(Path dir, String id, int width, int height, int[] b)
      throws IOException {
    Path xml = dir.resolve("Annotations").resolve(id + ".xml");
    Files.createDirectories(xml.getParent());
    String size =
        width > 0 ? "<size><width>" + width + "</width><height>" + height + "</height></size>" : "";
    Files.writeString(
        xml,
        "<annotation><filename>"
            + id
            + ".jpg</filename>"
            + size
            + "<object><name>thing</name><bndbox><xmin>"
            + (b[0] + 1)
            + "</xmin><ymin>"
            + (b[1] + 1)
            + "</ymin><xmax>"
            + b[2]
            + "</xmax><ymax>"
            + b[3]
            + "</ymax></bndbox></object></annotation>\n");
  }

  @Test
  void vocLabelsDrawnOnTheStoredPixelsAreTurnedUprightAndTheRestKept() throws IOException {
    Path dir = tmp.resolve("voc");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("classes.txt"), "thing\n");
    Path images = dir.resolve("JPEGImages");

    // A tool that ignored the tag: size and box of the stored (landscape) pixels.
    RgbImage stored = photo(images.resolve("stored.jpg"), Orientation.ROTATE_90_CW);
    vocXml(dir, "stored", stored.width(), stored.height(), redBox(stored));
    // A tool that applied it: the displayed size and box.
    photo(images.resolve("shown.jpg"), Orientation.ROTATE_90_CCW);
    vocXml(dir, "shown", W, H, BLOCK);
    // Half a turn keeps the size: the size cannot tell; the displayed frame is assumed.
    RgbImage halfTurn = photo(images.resolve("half.jpg"), Orientation.ROTATE_180);
    vocXml(dir, "half", W, H, redBox(halfTurn));
    // Labelled on a resized copy: neither size.
    photo(images.resolve("resized.jpg"), Orientation.TRANSPOSE);
    vocXml(dir, "resized", W * 2, H * 2, BLOCK);
    // No tag at all: not part of the report.
    photo(images.resolve("upright.jpg"), Orientation.NORMAL);
    vocXml(dir, "upright", W, H, BLOCK);
    // Missing image: left alone, counted.
    vocXml(dir, "missing", W, H, BLOCK);

    LabelFrames.Result r = DatasetLoader.loadWithFrames(DatasetSpec.of(dir));
    Map<String, Sample> byId = r.dataset().samplesById();

    int[] upright = BLOCK;
    assertThat(corners(byId.get("stored")))
        .as("stored-frame box turned upright (1-based pixels)")
        .containsExactly(upright[0] + 1, upright[1] + 1, upright[2], upright[3]);
    assertThat(byId.get("stored").width()).isEqualTo(W);
    assertThat(byId.get("stored").height()).isEqualTo(H);
    assertThat(corners(byId.get("shown")))
        .containsExactly(upright[0] + 1, upright[1] + 1, upright[2], upright[3]);
    int[] halfBox = redBox(halfTurn);
    assertThat(corners(byId.get("half")))
        .as("kept as drawn")
        .containsExactly(halfBox[0] + 1, halfBox[1] + 1, halfBox[2], halfBox[3]);

    // The box now covers the red block of the image as every reader decodes it (JPEG blurs the
    // block's edges by a pixel at most).
    RgbImage shown = ImageFiles.read(byId.get("stored").imagePath());
    int[] red = redBox(shown);
    double[] c = corners(byId.get("stored"));
    assertThat(new double[] {red[0] + 1, red[1] + 1, red[2], red[3]})
        .containsExactly(c, org.assertj.core.data.Offset.offset(1.0));

    LabelFrames.Report report = r.report();
    assertThat(report.images()).isEqualTo(6);
    assertThat(report.unchecked()).isEqualTo(1);
    assertThat(report.oriented())
        .extracting(Decision::imageId, Decision::frame, Decision::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("half", Frame.DISPLAYED, Reason.SIZE_CANNOT_TELL),
            org.assertj.core.groups.Tuple.tuple(
                "resized", Frame.DISPLAYED, Reason.SIZE_MATCHES_NEITHER),
            org.assertj.core.groups.Tuple.tuple(
                "shown", Frame.DISPLAYED, Reason.DECLARED_DISPLAYED),
            org.assertj.core.groups.Tuple.tuple("stored", Frame.STORED, Reason.DECLARED_STORED));
    assertThat(report.doubtful()).extracting(Decision::imageId).containsExactly("half", "resized");

    String text = report.render(20);
    assertThat(text)
        .contains("4 of 6 images carry an EXIF orientation other than upright")
        .contains("1 image files missing or unreadable")
        .contains("labels in the stored frame, boxes turned upright: 1")
        .contains("labels in the displayed frame, kept: 3")
        .contains("half.jpg: orientation 3 (rotate 180), stored 48x64, displayed 48x64")
        .contains(
            "resized.jpg: orientation 5 (transpose), stored 64x48, displayed 48x64,"
                + " declared 96x128: the declared size matches neither")
        .doesNotContain("stored.jpg:")
        .doesNotContain("upright.jpg");
    assertThat(report.render(1)).contains("... and 1 more");

    // With the images checked, nothing is left to complain about but the missing file and the
    // annotation made on another size.
    assertThat(DatasetProblems.validate(r.dataset(), true))
        .extracting(DatasetProblems.Problem::imageId)
        .containsExactlyInAnyOrder("resized", "missing");
  }

  @Test
  void cocoBoxesAreZeroBasedEdges() throws IOException {
    Path dir = tmp.resolve("coco");
    RgbImage stored = photo(dir.resolve("images/p.jpg"), Orientation.ROTATE_90_CCW);
    int[] b = redBox(stored);
    Path json = dir.resolve("instances.json");
    Files.writeString(
        json,
        "{\"images\":[{\"id\":1,\"file_name\":\"p.jpg\",\"width\":"
            + stored.width()
            + ",\"height\":"
            + stored.height()
            + "}],\"categories\":[{\"id\":1,\"name\":\"thing\"}],\"annotations\":[{\"id\":1,"
            + "\"image_id\":1,\"category_id\":1,\"bbox\":["
            + b[0]
            + ","
            + b[1]
            + ","
            + (b[2] - b[0])
            + ","
            + (b[3] - b[1])
            + "]}]}");
    LabelFrames.Result r = DatasetLoader.loadWithFrames(DatasetSpec.of(json));
    assertThat(corners(r.dataset().samples().get(0)))
        .containsExactly(BLOCK[0], BLOCK[1], BLOCK[2], BLOCK[3]);
    assertThat(r.report().count(Frame.STORED)).isEqualTo(1);
  }

  @Test
  void csvDeclaresNoSizeSoTheDisplayedFrameIsAssumed() throws IOException {
    Path dir = tmp.resolve("csv");
    photo(dir.resolve("p.jpg"), Orientation.ROTATE_90_CW);
    Path csv = dir.resolve("boxes.csv");
    Files.writeString(
        csv,
        "frame,xmin,xmax,ymin,ymax,class_id\np.jpg,"
            + BLOCK[0]
            + ","
            + BLOCK[2]
            + ","
            + BLOCK[1]
            + ","
            + BLOCK[3]
            + ",1\n");
    LabelFrames.Result r = DatasetLoader.loadWithFrames(DatasetSpec.of(csv));
    assertThat(corners(r.dataset().samples().get(0)))
        .containsExactly(BLOCK[0], BLOCK[1], BLOCK[2], BLOCK[3]);
    assertThat(r.report().oriented())
        .extracting(Decision::reason)
        .containsExactly(Reason.NO_DECLARED_SIZE);
    assertThat(r.report().doubtful()).isEmpty();
  }

  @Test
  void uprightDatasetsAreReturnedAsTheyAre() throws IOException {
    Path dir = tmp.resolve("plain");
    photo(dir.resolve("JPEGImages/a.jpg"), Orientation.NORMAL);
    Files.writeString(dir.resolve("classes.txt"), "thing\n");
    vocXml(dir, "a", W, H, BLOCK);
    Dataset read = VocReader.read(DatasetSpec.of(dir));
    LabelFrames.Result r = LabelFrames.resolve(read, DatasetFormat.VOC);
    assertThat(r.dataset()).isSameAs(read);
    assertThat(r.report().oriented()).isEmpty();
    assertThat(r.report().render(5))
        .isEqualTo(
            "  0 of 1 images carry an EXIF orientation other than upright"
                + System.lineSeparator());
  }

  private static double[] corners(Sample s) {
    List<ObjectBox> objects = s.objects();
    assertThat(objects).hasSize(1);
    return objects.get(0).corners();
  }
}
