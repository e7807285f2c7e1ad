package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.Orientation;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.testing.ExifPhotos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DatasetCommandTest {
  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = new CommandLine(new DatasetCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static void png(Path file, int width, int height) throws IOException {
    Files.createDirectories(file.getParent());
    ImageIO.write(
        new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
  }

  /** A VOC directory with one 64x48 image holding a car at {@code (xmin, ymin, xmax, ymax)}. */
  private Path voc(String box) throws IOException {
    Path dir = tmp.resolve("voc");
    write(dir.resolve("classes.txt"), "car\nperson\n");
    write(
        dir.resolve("Annotations/img1.xml"),
        "<annotation><filename>img1.png</filename>"
            + "<size><width>64</width><height>48</height></size>"
            + "<object><name>car</name><bndbox>"
            + box
            + "</bndbox></object></annotation>\n");
    write(dir.resolve("ImageSets/Main/train.txt"), "img1\n");
    return dir;
  }

  private static String bndbox(int xmin, int ymin, int xmax, int ymax) {
    return "<xmin>"
        + xmin
        + "</xmin><ymin>"
        + ymin
        + "</ymin><xmax>"
        + xmax
        + "</xmax><ymax>"
        + ymax
        + "</ymax>";
  }

  @Test
  void cleanDatasetPrintsStatisticsAndExitsZero() throws IOException {
    Path dir = voc(bndbox(10, 10, 30, 40));
    int code = run("check", "--data", dir.toString(), "--split", "train");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("1 images (0 without objects, 0 of unknown size), 1 objects, 2 classes")
        .containsPattern("\n  car +1 +1 +1 ")
        .contains("64x48")
        .endsWith("OK: no problems found" + System.lineSeparator());
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void boxBeyondTheImageExitsOneAndNamesTheAnnotationFile() throws IOException {
    Path dir = voc(bndbox(10, 10, 70, 40));
    int code = run("check", "--data", dir.toString(), "--format", "voc");
    assertThat(code).isEqualTo(1);
    String xml = dir.resolve("Annotations/img1.xml").toString();
    assertThat(out.toString())
        .contains("1 problem(s):")
        .contains(xml + ": image img1 object #0 bndbox/xmax: ")
        .contains("extends beyond the 64x48 image");
  }

  @Test
  void checkImagesReportsTheMissingImageFile() throws IOException {
    Path dir = voc(bndbox(10, 10, 30, 40));
    assertThat(run("check", "--data", dir.toString())).isZero();
    int code = run("check", "--data", dir.toString(), "--check-images");
    assertThat(code).isEqualTo(1);
    assertThat(out.toString())
        .contains(dir.resolve("JPEGImages/img1.png") + ": image img1 image: image file is missing");

    png(dir.resolve("JPEGImages/img1.png"), 64, 48);
    out.getBuffer().setLength(0);
    assertThat(run("check", "--data", dir.toString(), "--check-images")).isZero();
  }

  /** A 64x48 (width x height) phone photo stored sideways with {@code orientation}. */
  private static void phonePhoto(Path file, Orientation orientation) throws IOException {
    RgbImage upright = new RgbImage(48, 64, new byte[48 * 64 * 3]);
    byte[] jpeg = ImageFiles.jpegBytes(ExifPhotos.storedPixels(upright, orientation), 0.9f);
    Files.createDirectories(file.getParent());
    Files.write(file, ExifPhotos.withExif(jpeg, ExifPhotos.Exif.orientation(orientation)));
  }

  @Test
  void orientedImagesAreSummarisedAndTheDoubtfulOnesListed() throws IOException {
    Path dir = voc(bndbox(10, 10, 30, 40)); // declares 64x48, the displayed size below
    write(
        dir.resolve("Annotations/img2.xml"),
        "<annotation><filename>img2.jpg</filename>"
            + "<size><width>48</width><height>64</height></size>" // the stored size
            + "<object><name>car</name><bndbox>"
            + bndbox(5, 20, 15, 50)
            + "</bndbox></object></annotation>\n");
    write(
        dir.resolve("Annotations/img3.xml"),
        "<annotation><filename>img3.jpg</filename>"
            + "<size><width>64</width><height>48</height></size>"
            + "<object><name>car</name><bndbox>"
            + bndbox(5, 5, 15, 15)
            + "</bndbox></object></annotation>\n");
    Files.delete(dir.resolve("Annotations/img1.xml"));
    phonePhoto(dir.resolve("JPEGImages/img2.jpg"), Orientation.ROTATE_90_CW);
    phonePhoto(dir.resolve("JPEGImages/img3.jpg"), Orientation.ROTATE_180);

    int code = run("check", "--data", dir.toString(), "--check-images");

    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString())
        .contains("EXIF orientation (boxes are used in the displayed frame)")
        .contains("2 of 2 images carry an EXIF orientation other than upright")
        .contains("labels in the stored frame, boxes turned upright: 1")
        .contains("labels in the displayed frame, kept: 1")
        .contains(
            dir.resolve("JPEGImages/img3.jpg")
                + ": orientation 3 (rotate 180), stored 64x48, displayed 64x48, declared 64x48:"
                + " stored and displayed sizes are equal; displayed frame assumed")
        .doesNotContain("img2.jpg:")
        // Turned upright, img2's box (5..15 across, 20..50 down on the 48x64 stored pixels) fits
        // the 64x48 displayed image: no size or border problem.
        .contains("OK: no problems found");
  }

  @Test
  void yoloDatasetWithAnEmptyLabelFile() throws IOException {
    Path dir = tmp.resolve("yolo");
    write(dir.resolve("classes.txt"), "cat\ndog\n");
    png(dir.resolve("images/train/a.png"), 100, 50);
    png(dir.resolve("images/train/b.png"), 20, 20);
    write(dir.resolve("labels/train/a.txt"), "1 0.5 0.5 0.2 0.4\n");
    write(dir.resolve("labels/train/b.txt"), "");
    int code = run("check", "--data", dir.toString(), "--split", "train", "--format", "YOLO");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("2 images (1 without objects, 0 of unknown size), 1 objects, 2 classes")
        .containsPattern("\n  dog +2 +1 +1 ");
  }

  @Test
  void unreadableDatasetExitsOneWithFileAndLine() throws IOException {
    Path dir = tmp.resolve("yolo");
    write(dir.resolve("classes.txt"), "cat\n");
    png(dir.resolve("images/a.png"), 10, 10);
    write(dir.resolve("labels/a.txt"), "0 0.5 0.5 0.2 0.4\n0 0.5 0.5 0.2\n");
    int code = run("check", "--data", dir.toString());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("error: " + dir.resolve("labels/a.txt") + ":2: ")
        .contains("expected 5 fields");
  }

  @Test
  void csvUnknownSizesAreNotesNotProblems() throws IOException {
    Path csv = tmp.resolve("labels.csv");
    write(csv, "frame,xmin,xmax,ymin,ymax,class_id\nx.jpg,1,5,1,5,1\n");
    int code = run("check", "--data", csv.toString(), "--classes", "car");
    assertThat(code).isZero();
    assertThat(out.toString()).contains("note: 1 image(s) without a size").contains("OK");
  }

  @Test
  void badFormatIsAUsageError() throws IOException {
    Path dir = voc(bndbox(10, 10, 30, 40));
    assertThat(run("check", "--data", dir.toString(), "--format", "kitti")).isEqualTo(2);
    assertThat(err.toString()).contains("--format: unknown dataset format 'kitti'");
  }

  @Test
  void helpDocumentsTheExitCodes() {
    assertThat(run("check", "--help")).isZero();
    assertThat(out.toString())
        .contains("--check-images")
        .contains("voc|coco|csv|yolo")
        .containsPattern("0 +no problem found")
        .containsPattern("1 +problems found");
    out.getBuffer().setLength(0);
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Missing subcommand");
  }
}
