package org.grievance.ssd.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoResultsJsonTest {
  @TempDir Path tmp;

  @Test
  void roundTripKeepsEveryValueExactly() throws Exception {
    List<ResultRow> rows =
        List.of(
            new ResultRow("42", 18, 10.5, 20, 30.25, 40, 0.93),
            new ResultRow("000001", 1, 0.1, 1e-7, 123456.789, 0, 1),
            new ResultRow("img a\"b", 7, -3, 2.5e15, 1.0 / 3, 12, 0.001),
            ResultRow.ofCorners("0", 2, 1, 2, 4, 8, 0.5));
    Path file = tmp.resolve("out/results.json");
    CocoResultsJson.write(file, rows);
    assertThat(CocoResultsJson.read(file)).isEqualTo(rows);
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void writesCanonicalIntegerIdsAsNumbersAndOthersAsStrings() throws Exception {
    Path file = tmp.resolve("r.json");
    CocoResultsJson.write(
        file,
        List.of(
            new ResultRow("42", 3, 1, 2, 3, 4, 0.5),
            new ResultRow("000001", 3, 1.5, 2, 3, 4, 0.25),
            new ResultRow("1234567890123456789", 3, 1e-7, 2, 3, 4, 0.5)));
    String text = Files.readString(file);
    assertThat(text)
        .contains("{\"image_id\":42,\"category_id\":3,\"bbox\":[1,2,3,4],\"score\":0.5}")
        .contains("{\"image_id\":\"000001\",\"category_id\":3,\"bbox\":[1.5,2,3,4],\"score\":0.25}")
        .contains("\"image_id\":\"1234567890123456789\"")
        .contains("\"bbox\":[0.0000001,2,3,4]")
        .doesNotContain("E-");
  }

  @Test
  void emptyResults() throws Exception {
    Path file = tmp.resolve("empty.json");
    CocoResultsJson.write(file, List.of());
    assertThat(Files.readString(file).strip()).isEqualTo("[]");
    assertThat(CocoResultsJson.read(file)).isEmpty();
  }

  @Test
  void readsNumericAndStringIdsAndIgnoresOtherMembers() {
    Path file =
        Fixtures.write(
            tmp.resolve("in.json"),
            "[{\"image_id\": 397133, \"category_id\": 44, \"bbox\": [1, 2.5, 3, 4],"
                + " \"score\": 0.75, \"segmentation\": []},\n"
                + " {\"image_id\": \"000005\", \"category_id\": 1, \"bbox\": [0, 0, 0, 0],"
                + " \"score\": -1}]");
    assertThat(CocoResultsJson.read(file))
        .containsExactly(
            new ResultRow("397133", 44, 1, 2.5, 3, 4, 0.75),
            new ResultRow("000005", 1, 0, 0, 0, 0, -1));
  }

  @Test
  void errorsNameTheElementAndField() {
    String ok = "{\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,1,1],\"score\":0.5}";
    assertError("[" + ok + ",\n 3]", "[1] (line 2): must be an object, got number 3");
    assertError(
        "[" + ok + ",\n" + ok + ",\n{\"image_id\":1,\"bbox\":[0,0,1,1],\"score\":0.5}]",
        "[2] (line 3): missing field 'category_id'");
    assertError(
        "[{\"image_id\":1,\"category_id\":1.5,\"bbox\":[0,0,1,1],\"score\":0.5}]",
        "[0] (line 1).category_id: must be an integer");
    assertError(
        "[{\"image_id\":1.5,\"category_id\":1,\"bbox\":[0,0,1,1],\"score\":0.5}]",
        "[0] (line 1).image_id: must be an integer or a non-blank string");
    assertError(
        "[{\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,1],\"score\":0.5}]",
        "[0] (line 1).bbox: must be an array of 4 numbers");
    assertError(
        "[{\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,\"1\",1],\"score\":0.5}]",
        "[0] (line 1).bbox[2]: must be a number, got string");
    assertError(
        "[{\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,1,-2],\"score\":0.5}]",
        "[0] (line 1).bbox: width and height must be >= 0");
    assertError(
        "[{\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,1,1],\"score\":NaN}]",
        "[0] (line 1).score: must be finite, got NaN");
    assertError(
        "[{\"image_id\":1,\"category_id\":1,\"bbox\":[Infinity,0,1,1],\"score\":1}]",
        "[0] (line 1).bbox[0]: must be finite");
    assertError("{\"image_id\":1}", "results must be a JSON array of detections");
    assertError("", "results must be a JSON array of detections, found an empty file");
  }

  @Test
  void malformedJsonNamesLineAndColumn() {
    Path file = Fixtures.write(tmp.resolve("bad.json"), "[\n  {\"image_id\": 1,,}\n]");
    assertThatThrownBy(() -> CocoResultsJson.read(file))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(file + ":2:")
        .hasMessageContaining("malformed JSON");
    Path trailing = Fixtures.write(tmp.resolve("trail.json"), "[]\n[]");
    assertThatThrownBy(() -> CocoResultsJson.read(trailing))
        .hasMessageStartingWith(trailing + ":2:")
        .hasMessageContaining("after the results array");
  }

  @Test
  void rowsAreValidated() {
    assertThatThrownBy(() -> new ResultRow("a", 1, 0, 0, -1, 1, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("w, h");
    assertThatThrownBy(() -> new ResultRow(" ", 1, 0, 0, 1, 1, 0.5))
        .hasMessageContaining("imageId");
    assertThatThrownBy(() -> new ResultRow("a", 1, 0, 0, 1, 1, Double.NaN))
        .hasMessageContaining("score");
  }

  private void assertError(String json, String expected) {
    Path file = Fixtures.write(tmp.resolve("case.json"), json);
    assertThatThrownBy(() -> CocoResultsJson.read(file))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(file + ": ")
        .hasMessageContaining(expected);
  }
}
