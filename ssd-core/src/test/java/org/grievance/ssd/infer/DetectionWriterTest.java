package org.grievance.ssd.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.grievance.ssd.decode.Detection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionWriterTest {
  @TempDir Path tmp;

  private static final List<ImageDetections> RESULTS =
      List.of(
          new ImageDetections(
              "photos/a.jpg",
              640,
              480,
              List.of(
                  new Detection(2, "square", 0.93, 10.5, 20, 110.25, 220),
                  new Detection(1, "circle", 0.5, -3, 0, 40, 30.125))),
          new ImageDetections("b.png", 32, 16, List.of()));

  @Test
  void writesTheDocumentedSchema() throws IOException {
    Path file = tmp.resolve("out/predictions.json");
    DetectionWriter.write(file, RESULTS);
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    assertThat(root.isArray()).isTrue();
    assertThat(root).hasSize(2);
    JsonNode a = root.get(0);
    assertThat(a.fieldNames())
        .toIterable()
        .containsExactly("schema", "image", "imageWidth", "imageHeight", "detections");
    assertThat(a.get("schema").asText()).isEqualTo("ssd-detections/1");
    assertThat(a.get("image").asText()).isEqualTo("photos/a.jpg");
    assertThat(a.get("imageWidth").asInt()).isEqualTo(640);
    assertThat(a.get("imageHeight").asInt()).isEqualTo(480);
    JsonNode d = a.get("detections").get(0);
    assertThat(d.fieldNames()).toIterable().containsExactly("classId", "class", "score", "box");
    assertThat(d.get("classId").asInt()).isEqualTo(2);
    assertThat(d.get("class").asText()).isEqualTo("square");
    assertThat(d.get("score").asDouble()).isEqualTo(0.93);
    assertThat(d.get("box").toString())
        .isEqualTo("{\"xmin\":10.5,\"ymin\":20.0,\"xmax\":110.25,\"ymax\":220.0}");
    assertThat(root.get(1).get("detections")).isEmpty();
    assertThat(DetectionWriter.read(file)).isEqualTo(RESULTS);
    try (var s = Files.list(file.getParent())) {
      assertThat(s.toList()).as("no temporary files left").hasSize(1);
    }
  }

  @Test
  void anUnnamedImageHasNoImageField() throws IOException {
    ImageDetections upload = new ImageDetections(null, 32, 16, RESULTS.get(0).detections());
    JsonNode doc = DetectionWriter.toJson(upload);
    assertThat(doc.fieldNames())
        .toIterable()
        .containsExactly("schema", "imageWidth", "imageHeight", "detections");
    assertThat(DetectionWriter.fromJson(doc, "upload")).isEqualTo(upload);
  }

  @Test
  void readNamesTheBrokenEntry() throws IOException {
    Path file = tmp.resolve("bad.json");
    Files.writeString(
        file,
        "[{\"schema\": \"ssd-detections/1\", \"imageWidth\": 1, \"imageHeight\": 1,"
            + " \"detections\": [{\"classId\": 1, \"class\": \"x\", \"score\": 0.5,"
            + " \"box\": [1, 2, 3, 4]}]}]");
    assertThatThrownBy(() -> DetectionWriter.read(file))
        .hasMessageContaining("entry 0 detection 0: box must be {xmin, ymin, xmax, ymax}");
    Files.writeString(
        file,
        "[{\"schema\": \"ssd-detections/1\", \"imageWidth\": 1, \"imageHeight\": 1,"
            + " \"detections\": [{\"classId\": 1, \"class\": \"x\", \"score\": 0.5,"
            + " \"box\": {\"xmin\": 1, \"ymin\": 2, \"xmax\": 3}}]}]");
    assertThatThrownBy(() -> DetectionWriter.read(file))
        .hasMessageContaining("entry 0 detection 0 box: missing field 'ymax'");
  }

  @Test
  void readRefusesOtherSchemasAndTheOldPredictFormat() throws IOException {
    Path file = tmp.resolve("other.json");
    Files.writeString(
        file,
        "[{\"schema\": \"ssd-detections/2\", \"imageWidth\": 1, \"imageHeight\": 1,"
            + " \"detections\": []}]");
    assertThatThrownBy(() -> DetectionWriter.read(file))
        .hasMessageContaining(
            "entry 0: schema must be \"ssd-detections/1\", got \"ssd-detections/2\"");
    Files.writeString(
        file,
        "[{\"image\": \"a\", \"width\": 1, \"height\": 1, \"detections\": [{\"class_id\": 1,"
            + " \"class\": \"x\", \"score\": 0.5, \"box\": [1, 2, 3, 4]}]}]");
    assertThatThrownBy(() -> DetectionWriter.read(file))
        .hasMessageContaining("entry 0: missing field 'schema'");
  }

  @Test
  void jsonLinesHoldOneCompactDocumentPerLineAndReadBackFromADirectoryOfParts() throws IOException {
    String line = DetectionWriter.toJsonLine(RESULTS.get(0));
    assertThat(line).doesNotContain("\n");
    assertThat(new ObjectMapper().readTree(line)).isEqualTo(DetectionWriter.toJson(RESULTS.get(0)));
    Path dir = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(dir.resolve("part-1.jsonl"), line + "\n\n");
    Files.writeString(dir.resolve("part-2.jsonl"), DetectionWriter.toJsonLine(RESULTS.get(1)));
    Files.writeString(dir.resolve(".part-3.jsonl"), "not read: hidden");
    Files.createDirectories(dir.resolve("_temporary-ssd"));
    assertThat(DetectionWriter.readAny(dir)).isEqualTo(RESULTS);
    assertThat(DetectionWriter.readAny(dir.resolve("part-1.jsonl")))
        .containsExactly(RESULTS.get(0));
    assertThat(DetectionWriter.looksLikeDocuments(dir)).isTrue();
    assertThat(DetectionWriter.imageOf(line)).isEqualTo("photos/a.jpg");
    assertThat(DetectionWriter.imageOf(DetectionWriter.toJsonLine(RESULTS.get(1))))
        .isEqualTo("b.png");
    assertThatThrownBy(() -> DetectionWriter.imageOf("[1]")).hasMessageContaining("JSON object");

    Files.writeString(dir.resolve("part-2.jsonl"), "\n{\"schema\": \"ssd-detections/1\"");
    assertThatThrownBy(() -> DetectionWriter.readAny(dir))
        .hasMessageContaining("part-2.jsonl: line 2: not JSON");
  }

  @Test
  void documentsAndCocoResultsAreToldApart() throws IOException {
    Path docs = tmp.resolve("predict.json");
    DetectionWriter.write(docs, RESULTS);
    Path coco = Files.writeString(tmp.resolve("coco.json"), "[{\"image_id\": \"a\"}]");
    assertThat(DetectionWriter.looksLikeDocuments(docs)).isTrue();
    assertThat(DetectionWriter.looksLikeDocuments(coco)).isFalse();
  }
}
