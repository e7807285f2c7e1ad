package org.grievance.ssd.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void checkImagesReportsMissingCorruptAndMisSizedImagesAndUsesRealSizes(@TempDir Path tmp)
      throws Exception {
    Path ok = YoloFixtures.png(tmp.resolve("ok.png"), 20, 10);
    Path small = YoloFixtures.png(tmp.resolve("small.png"), 8, 8);
    Path corrupt = java.nio.file.Files.writeString(tmp.resolve("corrupt.png"), "no png");
    Path missing = tmp.resolve("missing.png");
    Dataset d =
        new Dataset(
            "mem",
            List.of("a"),
            List.of(1),
            List.of(
                // unknown size in the annotations: the header's 20x10 is used for the box check
                new Sample("ok", ok, 0, 0, List.of(ObjectBox.of(1, 0, 0, 25, 5))),
                new Sample("small", small, 16, 16, List.of()),
                new Sample("corrupt", corrupt, 4, 4, List.of()),
                new Sample("missing", missing, 4, 4, List.of())));
    assertThat(DatasetProblems.validate(d))
        .extracting(DatasetProblems.Problem::field)
        .containsExactly("size");
    List<DatasetProblems.Problem> problems = DatasetProblems.validate(d, true);
    assertThat(problems)
        .extracting(DatasetProblems.Problem::field)
        .containsExactly("bndbox/xmax", "image/size", "image", "image");
    assertThat(problems.get(0).message()).contains("beyond the 20x10 image");
    assertThat(problems.get(1).file()).isEqualTo(small.toString());
    assertThat(problems.get(1).message()).contains("image is 8x8").contains("16x16");
    assertThat(problems.get(2).file()).isEqualTo(corrupt.toString());
    assertThat(problems.get(2).message()).startsWith("cannot read image header");
    assertThat(problems.get(3).file()).isEqualTo(missing.toString());
    assertThat(problems.get(3).message()).contains("missing");
    assertThat(problems).noneMatch(DatasetProblems.Problem::isUnknownSize);
  }
}
