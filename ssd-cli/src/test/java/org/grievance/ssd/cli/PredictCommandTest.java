package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.image.BoxPainter;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.Orientation;
import org.grievance.ssd.image.PhotoMetadata;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.infer.DetectionWriter;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.infer.DetectorOptions;
import org.grievance.ssd.infer.ImageDetections;
import org.grievance.ssd.infer.Tiling;
import org.grievance.ssd.testing.ExifPhotos;
import org.grievance.ssd.testing.TinyModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictCommandTest {
  private static final List<String> CLASSES = List.of("circle", "square");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Path run;
  private Path images;

  @BeforeEach
  void setUp() throws IOException {
    run = TinyModels.run(tmp.resolve("run"), TinyModels.ssd7(CLASSES), 21);
    images = tmp.resolve("images");
    Files.createDirectories(images.resolve("sub"));
    ImageFiles.writePng(pattern(150, 200, 1), images.resolve("a.png"));
    ImageFiles.writeJpeg(pattern(90, 120, 2), images.resolve("b.jpg"), 0.95f);
    javax.imageio.ImageIO.write(
        pattern(100, 100, 3).toBufferedImage(), "bmp", images.resolve("sub/c.bmp").toFile());
    Files.writeString(images.resolve("notes.txt"), "not an image");
  }

  /** Stripes and a bright square, so that the untrained network has something to respond to. */
  private static RgbImage pattern(int height, int width, int seed) {
    byte[] px = new byte[height * width * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int k = (y * width + x) * 3;
        boolean square = x > width / 4 && x < width / 2 && y > height / 3 && y < 2 * height / 3;
        px[k] = (byte) (square ? 250 : (x * 7 * seed) % 256);
        px[k + 1] = (byte) (square ? 240 : (y * 5) % 256);
        px[k + 2] = (byte) (square ? 30 : 90);
      }
    }
    return new RgbImage(height, width, px);
  }

  private static int rgb(RgbImage img, int y, int x) {
    return (img.get(y, x, 0) << 16) | (img.get(y, x, 1) << 8) | img.get(y, x, 2);
  }

  private CliRunner.Result predict(String... extra) {
    List<String> args = new ArrayList<>(List.of("predict", "--model", run.toString()));
    args.addAll(List.of("--threads", "1"));
    args.addAll(List.of(extra));
    return CliRunner.run(args.toArray(String[]::new));
  }

  @Test
  void writesAnnotatedImagesAndTheDocumentedJson() throws IOException {
    Path out = tmp.resolve("annotated");
    Path json = tmp.resolve("predictions.json");
    CliRunner.Result r =
        predict(
            images.toString(),
            "--out",
            out.toString(),
            "--json",
            json.toString(),
            "--threshold",
            "0.05",
            "--top-k",
            "20");

    assertThat(r.exitCode()).as(r.err()).isZero();
    // Same names; JPEG stays JPEG, BMP becomes PNG; original sizes.
    assertThat(ImageFiles.readSize(out.resolve("a.png"))).isEqualTo(new ImageFiles.Size(150, 200));
    assertThat(ImageFiles.readSize(out.resolve("b.jpg"))).isEqualTo(new ImageFiles.Size(90, 120));
    assertThat(ImageFiles.readSize(out.resolve("sub/c.png")))
        .isEqualTo(new ImageFiles.Size(100, 100));
    assertThat(out.resolve("notes.txt")).doesNotExist();

    JsonNode root = JSON.readTree(json.toFile());
    assertThat(root).hasSize(3);
    List<String> names = new ArrayList<>();
    for (JsonNode img : root) {
      names.add(Path.of(img.get("image").asText()).getFileName().toString());
      assertThat(img.get("schema").asText()).isEqualTo(DetectionWriter.SCHEMA);
      assertThat(img.get("imageWidth").isInt()).isTrue();
      assertThat(img.get("imageHeight").isInt()).isTrue();
      double previous = Double.POSITIVE_INFINITY;
      assertThat(img.get("detections")).isNotEmpty().hasSizeLessThanOrEqualTo(20);
      for (JsonNode d : img.get("detections")) {
        int classId = d.get("classId").asInt();
        assertThat(d.get("class").asText()).isEqualTo(CLASSES.get(classId - 1));
        double score = d.get("score").asDouble();
        assertThat(score).isGreaterThan(0.05).isLessThanOrEqualTo(previous);
        previous = score;
        assertThat(d.get("box").fieldNames())
            .toIterable()
            .containsExactly("xmin", "ymin", "xmax", "ymax");
      }
    }
    assertThat(names).containsExactly("a.png", "b.jpg", "c.bmp");

    // The JSON holds exactly what the detector finds on the original images (same batch: PyTorch
    // may round differently for another batch size).
    List<ImageDetections> written = DetectionWriter.read(json);
    List<RgbImage> originals = new ArrayList<>();
    for (ImageDetections w : written) {
      RgbImage img = ImageFiles.read(Path.of(w.image()));
      assertThat(w.width()).isEqualTo(img.width());
      assertThat(w.height()).isEqualTo(img.height());
      originals.add(img);
    }
    DetectorOptions options =
        DetectorOptions.builder().confidenceThreshold(0.05).topK(20).threads(1).build();
    try (Detector detector = Detector.load(run, options)) {
      List<List<Detection>> expected = detector.detect(originals);
      for (int i = 0; i < written.size(); i++) {
        assertThat(written.get(i).detections())
            .as(written.get(i).image())
            .isEqualTo(expected.get(i));
      }
    }

    // The PNG copy carries boxes in the detected classes' colours (lossless, so exact colours).
    RgbImage original = ImageFiles.read(images.resolve("a.png"));
    RgbImage annotated = ImageFiles.read(out.resolve("a.png"));
    java.util.Set<Integer> classColours = new java.util.HashSet<>();
    for (Detection d : written.get(0).detections()) {
      classColours.add(BoxPainter.colour(d.classId()).getRGB() & 0xFFFFFF);
    }
    int painted = 0;
    for (int y = 0; y < original.height(); y++) {
      for (int x = 0; x < original.width(); x++) {
        int before = rgb(original, y, x);
        int after = rgb(annotated, y, x);
        if (before != after && classColours.contains(after)) {
          painted++;
        }
      }
    }
    assertThat(painted).as("pixels repainted in a detected class's colour").isGreaterThan(50);

    assertThat(r.out())
        .contains("a.png: ")
        .contains("b.jpg: ")
        .contains("c.bmp: ")
        .contains("3 images, ")
        .contains("detections: " + json)
        .contains("annotated images: " + out);
  }

  /** Flat quadrants (red, green / blue, yellow), so that any wrong turn or mirror shows. */
  private static final int[][] QUADRANTS = {
    {230, 20, 20}, {20, 230, 20}, {20, 20, 230}, {230, 230, 20}
  };

  private static RgbImage quadrants(int height, int width) {
    byte[] px = new byte[height * width * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int[] c = QUADRANTS[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)];
        for (int k = 0; k < 3; k++) {
          px[(y * width + x) * 3 + k] = (byte) c[k];
        }
      }
    }
    return new RgbImage(height, width, px);
  }

  @Test
  void aPortraitPhonePhotoIsDetectedAndAnnotatedUpright() throws IOException {
    int h = 160;
    int w = 96;
    RgbImage upright = quadrants(h, w);
    Path photos = tmp.resolve("phone");
    Files.createDirectories(photos);
    byte[] jpeg =
        ImageFiles.jpegBytes(ExifPhotos.storedPixels(upright, Orientation.ROTATE_90_CW), 0.95f);
    Path photo = photos.resolve("portrait.jpg");
    Files.write(
        photo, ExifPhotos.withExif(jpeg, ExifPhotos.Exif.orientation(Orientation.ROTATE_90_CW)));
    assertThat(ImageFiles.readStoredSize(photo)).isEqualTo(new ImageFiles.Size(w, h));

    Path out = tmp.resolve("annotated");
    Path json = tmp.resolve("phone.json");
    CliRunner.Result r =
        predict(
            photos.toString(),
            "--out",
            out.toString(),
            "--json",
            json.toString(),
            "--threshold",
            "0.3",
            "--top-k",
            "5");
    assertThat(r.exitCode()).as(r.err()).isZero();

    // The JSON gives the displayed size and the detector's boxes on the upright image.
    ImageDetections written = DetectionWriter.read(json).get(0);
    assertThat(written.width()).isEqualTo(w);
    assertThat(written.height()).isEqualTo(h);
    assertThat(written.detections()).isNotEmpty();
    DetectorOptions options =
        DetectorOptions.builder().confidenceThreshold(0.3).topK(5).threads(1).build();
    try (Detector detector = Detector.load(run, options)) {
      assertThat(written.detections()).isEqualTo(detector.detect(ImageFiles.read(photo)));
    }

    // The annotated copy is upright with no orientation tag left to apply twice, and each
    // quadrant keeps its colour under the few boxes drawn over it.
    Path copy = out.resolve("portrait.jpg");
    assertThat(ImageFiles.readStoredSize(copy)).isEqualTo(new ImageFiles.Size(h, w));
    assertThat(PhotoMetadata.read(copy).orientation()).isEqualTo(Orientation.NORMAL);
    RgbImage annotated = ImageFiles.read(copy);
    for (int q = 0; q < 4; q++) {
      int y0 = q < 2 ? 0 : h / 2;
      int x0 = q % 2 == 0 ? 0 : w / 2;
      for (int c = 0; c < 3; c++) {
        assertThat(median(annotated, y0, x0, h / 2, w / 2, c))
            .as("quadrant %d channel %d", q, c)
            .isCloseTo(QUADRANTS[q][c], org.assertj.core.data.Offset.offset(30));
      }
    }
  }

  private static int median(RgbImage img, int y0, int x0, int h, int w, int channel) {
    int[] v = new int[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        v[y * w + x] = img.get(y0 + y, x0 + x, channel);
      }
    }
    java.util.Arrays.sort(v);
    return v[v.length / 2];
  }

  @Test
  void heicFilesInAFolderAreReportedAsUnsupported() throws IOException {
    Path photos = tmp.resolve("iphone");
    Files.createDirectories(photos);
    Files.write(
        photos.resolve("IMG_0001.HEIC"),
        new byte[] {
          0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0, 'm', 'i', 'f', '1', 'h',
          'e', 'i', 'c'
        });
    ImageFiles.writePng(pattern(60, 80, 1), photos.resolve("ok.png"));
    CliRunner.Result r = predict(photos.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains("IMG_0001.HEIC")
        .contains(
            "HEIC/HEIF images are not supported; accepted formats: JPEG, PNG, WebP, BMP or GIF");
    assertThat(r.out()).contains("ok.png: ").contains("1 image, ");
  }

  @Test
  void tilesGiveTheTiledDetectorsBoxesInTheOriginalImage() throws IOException {
    // a.png is 150x200, larger than the tiny model's 96x128 input: auto cuts it into tiles.
    Path json = tmp.resolve("tiled.json");
    CliRunner.Result r =
        predict(
            images.resolve("a.png").toString(),
            "--tiles",
            "auto",
            "--json",
            json.toString(),
            "--threshold",
            "0.05",
            "--batch-size",
            "3");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("tiles: auto (overlap 0.20)").contains("1 image, ");
    ImageDetections written = DetectionWriter.read(json).get(0);
    assertThat(written.width()).isEqualTo(200);
    assertThat(written.height()).isEqualTo(150);
    RgbImage original = ImageFiles.read(images.resolve("a.png"));
    DetectorOptions options =
        DetectorOptions.builder().confidenceThreshold(0.05).batchSize(3).threads(1).build();
    try (Detector detector = Detector.load(run, options)) {
      List<Detection> tiled = detector.detect(original, Tiling.auto(0.2));
      assertThat(written.detections()).isNotEmpty().isEqualTo(tiled);
      assertThat(tiled).isNotEqualTo(detector.detect(original));
    }
  }

  @Test
  void badTilesAreReportedNamingTheOption() {
    CliRunner.Result zero = predict("--tiles", "0x2", images.toString());
    assertThat(zero.exitCode()).isEqualTo(1);
    assertThat(zero.err()).contains("--tiles: tile rows must be in [1, 64], got 0");

    CliRunner.Result overlap =
        predict("--tiles", "2x2", "--tile-overlap", "-0.1", images.toString());
    assertThat(overlap.exitCode()).isEqualTo(1);
    assertThat(overlap.err()).contains("--tile-overlap: tile overlap must be in [0, 0.9)");

    CliRunner.Result alone = predict("--tile-overlap", "0.3", images.toString());
    assertThat(alone.exitCode()).isEqualTo(1);
    assertThat(alone.err()).contains("--tile-overlap needs --tiles");
  }

  @Test
  void theOutputFolderInsideAnInputFolderIsNotScannedAgain() {
    Path out = images.resolve("annotated");
    assertThat(predict(images.toString(), "--out", out.toString()).exitCode()).isZero();
    CliRunner.Result second = predict(images.toString(), "--out", out.toString());
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).contains("3 images, ");
  }

  @Test
  void badInputIsReportedClearly() throws IOException {
    CliRunner.Result missing = predict(tmp.resolve("nope.jpg").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("nope.jpg").contains("no such image or directory");

    CliRunner.Result decoder = predict("--decoder", "slow", images.toString());
    assertThat(decoder.exitCode()).isEqualTo(1);
    assertThat(decoder.err()).contains("unknown decoder 'slow'");

    Files.copy(images.resolve("a.png"), images.resolve("sub/c.png"));
    CliRunner.Result clash = predict(images.toString(), "--out", tmp.resolve("o").toString());
    assertThat(clash.exitCode()).isEqualTo(1);
    assertThat(clash.err()).contains("would both be written to");

    Path broken = Files.writeString(tmp.resolve("broken.jpg"), "not a jpeg");
    CliRunner.Result unreadable = predict(broken.toString(), images.resolve("a.png").toString());
    assertThat(unreadable.exitCode()).as("one unreadable image fails the run").isEqualTo(1);
    assertThat(unreadable.err()).contains("broken.jpg");
    assertThat(unreadable.out()).contains("a.png: ").contains("1 image, ");

    assertThat(CliRunner.run("predict", images.toString()).exitCode())
        .as("--model is required")
        .isEqualTo(2);
    CliRunner.Result withoutOut = predict(images.toString());
    assertThat(withoutOut.exitCode()).as("the clash only matters when writing").isZero();
    CliRunner.Result notARun =
        CliRunner.run("predict", "--model", images.toString(), images.toString());
    assertThat(notARun.exitCode()).isEqualTo(1);
    assertThat(notARun.err()).contains("neither a checkpoint directory");
  }
}
