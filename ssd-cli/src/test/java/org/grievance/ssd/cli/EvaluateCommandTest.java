package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ssd evaluate} end to end on the evaluator check sets of ssd-core, whose expected numbers
 * come from the official VOC devkit and from pycocotools (see that folder's README).
 */
class EvaluateCommandTest {
  private static final Path CHECK_SETS =
      Path.of("..", "ssd-core", "src", "test", "resources", "eval");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @ParameterizedTest
  @CsvSource({"voc07, VOC07_11_POINT", "voc2010, VOC2010_ALL_POINT"})
  void vocMetricsEqualTheDevkit(String metric, String expectedMetric) throws IOException {
    JsonNode expected = JSON.readTree(CHECK_SETS.resolve("voc/expected.json").toFile());
    Path voc = vocDatasetFromCheckSet(expected);
    Path predictions = resultsFromDevkitDetections(expected);
    Path report = tmp.resolve("out/report.json");

    CliRunner.Result r =
        CliRunner.run(
            "evaluate",
            "--data",
            voc.toString(),
            "--split",
            "test",
            "--predictions",
            predictions.toString(),
            "--metric",
            metric,
            "--report",
            report.toString(),
            "--plots",
            tmp.resolve("out/pr.png").toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode run = runOf(expected, 0.5, expectedMetric);
    JsonNode rep = JSON.readTree(report.toFile());
    assertThat(rep.get("metric").asText()).isEqualTo(metric);
    assertThat(rep.get("mAP").asDouble()).isCloseTo(run.get("mean_ap").asDouble(), within(1e-12));
    for (int i = 0; i < run.get("classes").size(); i++) {
      JsonNode want = run.get("classes").get(i);
      JsonNode got = rep.get("classes").get(i);
      assertThat(got.get("name").asText()).isEqualTo(want.get("name").asText());
      assertThat(got.get("gt").asInt()).isEqualTo(want.get("npos").asInt());
      if (want.get("ap").isTextual()) { // "NaN": a class without ground truth
        assertThat(got.get("ap").isNull()).as("class without ground truth reports null").isTrue();
      } else {
        assertThat(got.get("ap").asDouble()).isCloseTo(want.get("ap").asDouble(), within(1e-12));
      }
    }
    assertThat(r.out()).contains("mAP");
    assertThat(Files.size(tmp.resolve("out/pr.png"))).isGreaterThan(1000);
  }

  @Test
  void cocoMetricEqualsPycocotools() throws IOException {
    Path report = tmp.resolve("coco.json");
    CliRunner.Result r =
        CliRunner.run(
            "evaluate",
            "--data",
            CHECK_SETS.resolve("coco/instances.json").toString(),
            "--predictions",
            CHECK_SETS.resolve("coco/detections.json").toString(),
            "--metric",
            "coco",
            "--report",
            report.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode stats = JSON.readTree(CHECK_SETS.resolve("coco/expected.json").toFile()).get("stats");
    JsonNode coco = JSON.readTree(report.toFile()).get("coco");
    String[][] keys = {
      {"AP", "ap"},
      {"AP50", "ap50"},
      {"AP75", "ap75"},
      {"APs", "apSmall"},
      {"APm", "apMedium"},
      {"APl", "apLarge"},
      {"AR1", "ar1"},
      {"AR10", "ar10"},
      {"AR100", "ar100"},
      {"ARs", "arSmall"},
      {"ARm", "arMedium"},
      {"ARl", "arLarge"}
    };
    for (String[] k : keys) {
      assertThat(coco.get(k[0]).asDouble())
          .as(k[0])
          .isCloseTo(stats.get(k[1]).asDouble(), within(1e-12));
    }
  }

  @Test
  void malformedPredictionsFailWithTheFileNamed() throws IOException {
    Path bad = tmp.resolve("bad.json");
    Files.writeString(
        bad, "[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3], \"score\": 0.5}]");
    CliRunner.Result r =
        CliRunner.run(
            "evaluate",
            "--data",
            CHECK_SETS.resolve("coco/instances.json").toString(),
            "--predictions",
            bad.toString(),
            "--metric",
            "coco");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("bad.json").contains("bbox");
  }

  @Test
  void predictionsForImagesOutsideTheDatasetAreRejected() throws IOException {
    Path res = tmp.resolve("res.json");
    Files.writeString(
        res, "[{\"image_id\": 999, \"category_id\": 1, \"bbox\": [1, 2, 3, 4], \"score\": 0.5}]");
    CliRunner.Result r =
        CliRunner.run(
            "evaluate",
            "--data",
            CHECK_SETS.resolve("coco/instances.json").toString(),
            "--predictions",
            res.toString(),
            "--metric",
            "coco");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("999").contains("not in the dataset");
  }

  @Test
  void unknownMetricIsAClearError() {
    CliRunner.Result r =
        CliRunner.run(
            "evaluate",
            "--data",
            CHECK_SETS.resolve("coco/instances.json").toString(),
            "--predictions",
            CHECK_SETS.resolve("coco/detections.json").toString(),
            "--metric",
            "map");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("--metric").contains("map");
  }

  private static JsonNode runOf(JsonNode expected, double iou, String metric) {
    for (JsonNode run : expected.get("runs")) {
      if (run.get("iou_threshold").asDouble() == iou && run.get("metric").asText().equals(metric)) {
        return run;
      }
    }
    throw new AssertionError("no run " + metric + " @ " + iou);
  }

  /** The check set in the layout `ssd evaluate` reads: ImageSets/Main/test.txt and classes.txt. */
  private Path vocDatasetFromCheckSet(JsonNode expected) throws IOException {
    Path src = CHECK_SETS.resolve("voc");
    Path dir = tmp.resolve("voc");
    Files.createDirectories(dir.resolve("Annotations"));
    Files.createDirectories(dir.resolve("ImageSets/Main"));
    try (var files = Files.list(src.resolve("Annotations"))) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve("Annotations").resolve(f.getFileName()));
      }
    }
    Files.copy(src.resolve("ImageSets/test.txt"), dir.resolve("ImageSets/Main/test.txt"));
    List<String> classes = names(expected);
    Files.write(dir.resolve("classes.txt"), classes);
    return dir;
  }

  /** The devkit's per-class detection files converted to the COCO results format. */
  private Path resultsFromDevkitDetections(JsonNode expected) throws IOException {
    List<String> classes = names(expected);
    ArrayNode rows = JSON.createArrayNode();
    for (int c = 0; c < classes.size(); c++) {
      Path det = CHECK_SETS.resolve("voc/detections/det_" + classes.get(c) + ".txt");
      if (!Files.exists(det)) {
        continue;
      }
      for (String line : Files.readAllLines(det)) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.trim().split("\\s+");
        double x0 = Double.parseDouble(f[2]);
        double y0 = Double.parseDouble(f[3]);
        var row = rows.addObject();
        row.put("image_id", f[0]);
        row.put("category_id", c + 1);
        row.putArray("bbox")
            .add(x0)
            .add(y0)
            .add(Double.parseDouble(f[4]) - x0)
            .add(Double.parseDouble(f[5]) - y0);
        row.put("score", Double.parseDouble(f[1]));
      }
    }
    Path out = tmp.resolve("results.json");
    JSON.writeValue(out.toFile(), rows);
    return out;
  }

  private static List<String> names(JsonNode expected) {
    return java.util.stream.StreamSupport.stream(expected.get("classes").spliterator(), false)
        .map(JsonNode::asText)
        .toList();
  }
}
