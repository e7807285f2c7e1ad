package org.grievance.ssd.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetProblemsTest {
  @Test
  void vocBoxBeyondTheImageNamesTheAnnotationFile() {
    Path voc = Fixtures.path("voc");
    List<DatasetProblems.Problem> problems =
        DatasetProblems.validate(DatasetLoader.load(DatasetSpec.of(voc)));
    String xml = voc.resolve("Annotations").resolve("000002.xml").toString();
    assertThat(problems)
        .containsExactly(
            new DatasetProblems.Problem(
                xml,
                "000002",
                0,
                "bndbox/xmax",
                "box (1.0, 2.0, 70.0, 40.0) extends beyond the 64x48 image"));
    assertThat(problems.get(0).toString())
        .startsWith(xml + ": image 000002 object #0 bndbox/xmax: ");
  }

  @Test
  void cocoZeroWidthBoxIsKeptAndReportedAsDegenerate() {
    Path coco = Fixtures.path("coco/instances.json");
    Dataset d = DatasetLoader.load(DatasetSpec.of(coco));
    assertThat(d.byId("73").orElseThrow().objects()).hasSize(2);
    List<DatasetProblems.Problem> problems = DatasetProblems.validate(d);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).file()).isEqualTo(coco.toString());
    assertThat(problems.get(0).imageId()).isEqualTo("73");
    assertThat(problems.get(0).objectIndex()).isEqualTo(1);
    assertThat(problems.get(0).field()).isEqualTo("bndbox");
    assertThat(problems.get(0).message()).contains("degenerate");
  }

  @Test
  void unknownSizeAndNegativeCoordinates() {
    Dataset d =
        new Dataset(
            "mem",
            List.of("a"),
            List.of(1),
            List.of(
                new Sample("x", Path.of("x.jpg"), 0, 0, List.of(ObjectBox.of(1, -1, 0, 3, 3))),
                new Sample("y", Path.of("y.jpg"), 10, 10, List.of(ObjectBox.of(1, 0, 0, 10, 10)))));
    assertThat(DatasetProblems.validate(d))
        .extracting(DatasetProblems.Problem::field)
        .containsExactly("size", "bndbox/xmin");
  }
}
