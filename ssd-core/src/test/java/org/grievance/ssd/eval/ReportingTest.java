package org.grievance.ssd.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportingTest {
  private static VocEvaluation sample() {
    var fixture = EvalFixtures.load("voc/fixture.json");
    return new VocEvaluator(ApMetric.VOC2010_ALL_POINT, 0.5)
        .evaluate(
            EvalFixtures.strings(fixture.get("classes")),
            EvalFixtures.vocGroundTruth(fixture),
            EvalFixtures.vocDetections(fixture));
  }

  @Test
  void writesAReadablePng(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("plots/pr.png");
    PrCurvePlot.write(sample(), png);
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img).isNotNull();
    assertThat(img.getWidth()).isGreaterThanOrEqualTo(400);
    assertThat(img.getHeight()).isGreaterThanOrEqualTo(300);
    assertThat(Files.size(png)).isGreaterThan(5_000);
    try (var files = Files.list(png.getParent())) {
      assertThat(files).containsExactly(png); // no temporary file left behind
    }
  }

  @Test
  void vocTableListsEveryClassAndTheMean() {
    VocEvaluation e = sample();
    String table = EvaluationTables.voc(e);
    List<String> lines = table.lines().toList();
    assertThat(lines.get(0)).contains("VOC2010").contains("0.5");
    assertThat(table).contains("class").contains("detections");
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("boat").contains("no GT"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("person").contains("0.0000"));
    assertThat(lines.get(lines.size() - 1))
        .startsWith("mAP")
        .contains(String.format(java.util.Locale.ROOT, "%.4f", e.meanAp()));
    // Aligned: every table row after the title has the same width up to the last column.
    int width = lines.get(1).length();
    assertThat(lines.subList(3, lines.size() - 2)).allSatisfy(l -> assertThat(l).hasSize(width));
  }

  @Test
  void cocoTableHasTheTwelveNumbers() {
    CocoEvaluation e =
        new CocoEvaluation(
            0.1,
            0.2,
            0.3,
            0.4,
            0.5,
            0.6,
            0.7,
            0.8,
            0.9,
            -1,
            0.25,
            0.125,
            List.of(new ClassAp(1, "cat", 0.5, 3, 4, new double[0], new double[0])));
    String table = EvaluationTables.coco(e);
    assertThat(table.lines().filter(l -> l.contains("@[ IoU="))).hasSize(12);
    assertThat(table).contains("area= small | maxDets=100 ] = -1.000");
    assertThat(table).contains("maxDets= 10 ] = 0.800");
    assertThat(table).contains("cat").contains("0.5000");
  }
}
