package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.data.CocoResultsJson;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.Orientation;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.infer.DetectorOptions;
import org.grievance.ssd.testing.ExifPhotos;
import org.grievance.ssd.testing.ExifPhotos.Exif;
import org.grievance.ssd.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssd evaluate --model} over phone photos: a dataset of sideways-stored images with EXIF
 * orientations, labelled partly on the stored and partly on the displayed pixels, evaluates exactly
 * like the same images stored upright.
 *
 * <p>The ground truth is the tiny model's own best boxes on the upright images, so the upright
 * dataset scores well and any box left in the wrong frame would lower the oriented one's score. The
 * images are PNG (with an {@code eXIf} chunk), so both datasets decode to the same pixels.
 */
class EvaluateOrientedPhotosTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CLASSES = List.of("circle", "square");
  private static final int H = 96;
  private static final int W = 128;

  /** Per image: its orientation, and whether its labels were drawn on the stored pixels. */
  private static final Orientation[] ORIENTATIONS = {
    Orientation.ROTATE_90_CW,
    Orientation.ROTATE_90_CCW,
    Orientation.ROTATE_180,
    Orientation.TRANSPOSE
  };

  private static final boolean[] STORED_LABELS = {true, false, false, true};

  @TempDir Path tmp;

  @Test
  void orientedPhotosEvaluateLikeUprightOnes() throws IOException {
    Path run = TinyModels.run(tmp.resolve("run"), TinyModels.ssd7(CLASSES), 51);
    List<RgbImage> scenes = new ArrayList<>();
    for (int i = 0; i < ORIENTATIONS.length; i++) {
      scenes.add(TinyModels.image(H, W, 60 + i));
    }
    List<List<Detection>> truth = new ArrayList<>();
    try (Detector detector =
        Detector.load(run, DetectorOptions.evaluation().toBuilder().threads(1).build())) {
      for (List<Detection> found : detector.detect(scenes)) {
        truth.add(found.stream().filter(EvaluateOrientedPhotosTest::sizeable).limit(5).toList());
      }
    }
    assertThat(truth.stream().mapToInt(List::size).sum()).as("ground-truth boxes").isPositive();

    Path upright = tmp.resolve("upright");
    Path phone = tmp.resolve("phone");
    for (int i = 0; i < scenes.size(); i++) {
      String id = "img" + i;
      Orientation o = ORIENTATIONS[i];
      ImageFiles.writePng(scenes.get(i), image(upright, id));
      xml(upright, id, W, H, truth.get(i), Orientation.NORMAL);

      RgbImage stored = ExifPhotos.storedPixels(scenes.get(i), o);
      Files.write(
          image(phone, id),
          ExifPhotos.withPngExif(ImageFiles.pngBytes(stored), Exif.orientation(o)));
      if (STORED_LABELS[i]) {
        xml(phone, id, stored.width(), stored.height(), truth.get(i), o.inverse());
      } else {
        xml(phone, id, W, H, truth.get(i), Orientation.NORMAL);
      }
    }

    JsonNode a = evaluate(run, upright, "a");
    JsonNode b = evaluate(run, phone, "b");
    assertThat(a.get("mAP").asDouble()).as("the upright set scores well").isGreaterThan(0.3);
    assertThat(b.get("mAP")).isEqualTo(a.get("mAP"));
    assertThat(b.get("classes")).isEqualTo(a.get("classes"));
    assertThat(CocoResultsJson.read(tmp.resolve("b-predictions.json")))
        .as("detections in the displayed frame")
        .isEqualTo(CocoResultsJson.read(tmp.resolve("a-predictions.json")));
  }

  /** Boxes of the untrained model may reach outside the image; they only need an extent. */
  private static boolean sizeable(Detection d) {
    return d.xmax() - d.xmin() >= 2 && d.ymax() - d.ymin() >= 2;
  }

  private JsonNode evaluate(Path run, Path data, String name) throws IOException {
    Path report = tmp.resolve(name + "-report.json");
    CliRunner.Result r =
        CliRunner.run(
            "evaluate",
            "--model",
            run.toString(),
            "--data",
            data.toString(),
            "--threads",
            "1",
            "--metric",
            "voc07",
            "--report",
            report.toString(),
            "--predictions-out",
            tmp.resolve(name + "-predictions.json").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    return JSON.readTree(report.toFile());
  }

  private static Path image(Path dir, String id) throws IOException {
    Path f = dir.resolve("JPEGImages").resolve(id + ".png");
    Files.createDirectories(f.getParent());
    return f;
  }

  /**
   * A VOC annotation declaring {@code width x height} with {@code boxes} moved by {@code toFrame}
   * (1-based VOC coordinates: extents one more than the upright size).
   */
  private static void xml(
      Path dir, String id, int width, int height, List<Detection> boxes, Orientation toFrame)
      throws IOException {
    Files.createDirectories(dir.resolve("Annotations"));
    Files.writeString(dir.resolve("classes.txt"), String.join("\n", CLASSES) + "\n");
    StringBuilder s = new StringBuilder("<annotation><filename>" + id + ".png</filename>");
    s.append("<size><width>").append(width).append("</width><height>").append(height);
    s.append("</height></size>");
    for (Detection d : boxes) {
      double[] c = toFrame.displayedBox(d.xmin(), d.ymin(), d.xmax(), d.ymax(), H + 1, W + 1);
      s.append("<object><name>").append(d.className()).append("</name><bndbox>");
      s.append("<xmin>").append(c[0]).append("</xmin><ymin>").append(c[1]).append("</ymin>");
      s.append("<xmax>").append(c[2]).append("</xmax><ymax>").append(c[3]).append("</ymax>");
      s.append("</bndbox></object>");
    }
    s.append("</annotation>\n");
    Files.writeString(dir.resolve("Annotations").resolve(id + ".xml"), s);
  }
}
