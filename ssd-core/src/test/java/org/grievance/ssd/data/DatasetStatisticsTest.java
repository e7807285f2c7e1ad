package org.grievance.ssd.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.grievance.ssd.data.DatasetStatistics.Bucket;
import org.grievance.ssd.data.DatasetStatistics.ClassStats;
import org.grievance.ssd.data.DatasetStatistics.ImageSize;
import org.junit.jupiter.api.Test;

class DatasetStatisticsTest {
  private static final Path VOC = Fixtures.path("voc");

  @Test
  void countsImagesClassesAndFlagsOfTheVocFixture() {
    DatasetStatistics s = DatasetStatistics.of(DatasetLoader.load(DatasetSpec.of(VOC)));
    assertThat(s.source()).isEqualTo(VOC.toString());
    assertThat(s.images()).isEqualTo(3);
    assertThat(s.imagesWithoutObjects()).isEqualTo(1);
    assertThat(s.imagesWithUnknownSize()).isZero();
    assertThat(s.objects()).isEqualTo(5);
    assertThat(s.classes())
        .containsExactly(
            new ClassStats(1, "car", 2, 2, 0, 0, 0),
            new ClassStats(2, "person", 2, 2, 2, 1, 0),
            new ClassStats(3, "dog", 1, 1, 0, 1, 0));
    assertThat(s.imageSizes())
        .containsExactly(
            new ImageSize(32, 32, 1), new ImageSize(64, 48, 1), new ImageSize(100, 80, 1));
    assertThat(s.problems())
        .extracting(DatasetProblems.Problem::field)
        .containsExactly("bndbox/xmax");
    assertThat(s.defects()).hasSize(1);
  }

  @Test
  void boxSizeBucketsAndCocoRangesOfTheVocFixture() {
    // sqrt(area): car 40, person 52.9, dog 38.9, car 51.2, person 14.1 (10x20)
    DatasetStatistics s = DatasetStatistics.of(DatasetLoader.load(DatasetSpec.of(VOC)));
    assertThat(s.boxSizes())
        .extracting(Bucket::label)
        .containsExactly("<16", "16-32", "32-64", "64-128", "128-256", ">=256");
    assertThat(s.boxSizes()).extracting(Bucket::count).containsExactly(1, 0, 4, 0, 0, 0);
    assertThat(s.cocoAreas()).extracting(Bucket::count).containsExactly(1, 4, 0);
  }

  @Test
  void aspectRatioPercentilesByNearestRank() {
    // w/h: 40/40, 40/70, 39/38.75, 69/38, 10/20
    DatasetStatistics.AspectSummary a =
        DatasetStatistics.of(DatasetLoader.load(DatasetSpec.of(VOC))).aspectRatios();
    assertThat(a.count()).isEqualTo(5);
    assertThat(a.min()).isEqualTo(0.5);
    assertThat(a.p05()).isEqualTo(0.5);
    assertThat(a.median()).isEqualTo(1.0);
    assertThat(a.p95()).isCloseTo(69.0 / 38, within(1e-12));
    assertThat(a.max()).isCloseTo(69.0 / 38, within(1e-12));
  }

  @Test
  void cocoRangesPreferTheSourceAreaAndBucketsHaveClosedLowerEdges() {
    Dataset d =
        new Dataset(
            "mem",
            List.of("a", "b"),
            List.of(1, 2),
            List.of(
                new Sample(
                    "x",
                    Path.of("x.jpg"),
                    0,
                    0,
                    List.of(
                        // box area 100 (small) but source area 2000 (medium)
                        new ObjectBox(1, 0, 0, 10, 10, false, false, true, 2000),
                        ObjectBox.of(1, 0, 0, 16, 16), // exactly 16 -> 16-32
                        ObjectBox.of(2, 0, 0, 96, 96), // exactly 96^2 -> large
                        ObjectBox.of(2, 0, 0, 300, 256), // >= 256
                        ObjectBox.of(2, 5, 5, 5, 20))), // degenerate: size 0, no aspect ratio
                new Sample("y", Path.of("y.jpg"), 8, 6, List.of())));
    DatasetStatistics s = DatasetStatistics.of(d);
    assertThat(s.boxSizes()).extracting(Bucket::count).containsExactly(2, 1, 0, 1, 0, 1);
    assertThat(s.cocoAreas()).extracting(Bucket::count).containsExactly(2, 1, 2);
    assertThat(s.classes().get(0).crowd()).isEqualTo(1);
    assertThat(s.classes().get(1).images()).isEqualTo(1);
    assertThat(s.aspectRatios().count()).isEqualTo(4);
    assertThat(s.imagesWithUnknownSize()).isEqualTo(1);
    assertThat(s.imageSizes()).containsExactly(new ImageSize(8, 6, 1));
    assertThat(s.problems()).extracting(DatasetProblems.Problem::field).contains("size", "bndbox");
    assertThat(s.defects())
        .extracting(DatasetProblems.Problem::field)
        .doesNotContain("size")
        .contains("bndbox");
  }

  @Test
  void emptyDatasetRendersWithoutNumbersItCannotHave() {
    DatasetStatistics s =
        DatasetStatistics.of(new Dataset("mem", List.of("a"), List.of(1), List.of()));
    assertThat(s.aspectRatios().count()).isZero();
    assertThat(s.aspectRatios().median()).isNaN();
    String text = s.render();
    assertThat(text)
        .contains("0 images")
        .contains("no boxes with a positive extent")
        .contains("none");
    assertThat(text).doesNotContain("NaN");
  }

  @Test
  void renderAlignsEveryTable() {
    String text = DatasetStatistics.of(DatasetLoader.load(DatasetSpec.of(VOC))).render();
    assertThat(text)
        .startsWith("dataset " + VOC + "\n3 images (1 without objects, 0 of unknown size)");
    assertThat(text)
        .contains("objects per class", "box size", "COCO area", "aspect ratio", "image sizes");
    assertThat(text).contains("bndbox/xmax");
    // Every table: right-aligned last column, so all its lines have one length.
    for (String block : text.split("\n\n")) {
      List<String> lines = Arrays.asList(block.split("\n"));
      if (lines.size() < 3 || !lines.get(1).startsWith("  ")) {
        continue;
      }
      List<String> table = lines.subList(1, lines.size());
      assertThat(table).extracting(String::length).containsOnly(table.get(0).length());
    }
    assertThat(text).containsPattern("\n  person +2 +2 +2 +2 +1 +0\n");
    assertThat(text).containsPattern("\n  32-64 +4 +80\\.0%\n");
  }
}
