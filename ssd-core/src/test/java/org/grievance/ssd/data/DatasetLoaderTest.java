package org.grievance.ssd.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {
  private static final Path VOC = Fixtures.path("voc");
  private static final Path COCO = Fixtures.path("coco/instances.json");
  private static final Path CSV = Fixtures.path("csv/labels.csv");

  @TempDir Path tmp;

  @Test
  void detectsTheFormatFromThePath() {
    assertThat(DatasetFormat.detect(VOC)).isEqualTo(DatasetFormat.VOC);
    assertThat(DatasetFormat.detect(COCO)).isEqualTo(DatasetFormat.COCO);
    assertThat(DatasetFormat.detect(CSV)).isEqualTo(DatasetFormat.CSV);
  }

  @Test
  void detectionFailuresNameThePath() throws Exception {
    Path missing = tmp.resolve("nope");
    assertThatThrownBy(() -> DatasetFormat.detect(missing))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(missing + ": ")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> DatasetFormat.detect(tmp))
        .hasMessageStartingWith(tmp + ": ")
        .hasMessageContaining("Annotations/");
    Path txt = Files.writeString(tmp.resolve("labels.txt"), "x");
    assertThatThrownBy(() -> DatasetFormat.detect(txt))
        .hasMessageStartingWith(txt + ": ")
        .hasMessageContaining(".json");
  }

  @Test
  void parsesFormatNames() {
    assertThat(DatasetFormat.parse(" Coco ")).isEqualTo(DatasetFormat.COCO);
    assertThat(DatasetFormat.parse("YOLO")).isEqualTo(DatasetFormat.YOLO);
    assertThatThrownBy(() -> DatasetFormat.parse("kitti"))
        .hasMessageContaining("voc, coco, csv or yolo");
  }

  @Test
  void dispatchesOnDetectedOrGivenFormat() {
    assertThat(DatasetLoader.load(DatasetSpec.of(VOC, "test")).size()).isEqualTo(2);
    assertThat(DatasetLoader.load(DatasetSpec.of(COCO)).categoryIds()).containsExactly(1, 3, 18);
    assertThat(DatasetLoader.load(DatasetSpec.of(CSV)).size()).isEqualTo(3);
    assertThat(
            DatasetLoader.load(DatasetSpec.builder(VOC).format(DatasetFormat.VOC).build()).size())
        .isEqualTo(3);
  }

  @Test
  void splitIsOnlyForVoc() {
    assertThatThrownBy(() -> DatasetLoader.load(DatasetSpec.of(COCO, "test")))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(COCO + ": ")
        .hasMessageContaining("split 'test' applies only to VOC and YOLO");
  }

  @Test
  void specValidatesItsFields() {
    DatasetSpec spec = DatasetSpec.of(VOC);
    assertThat(spec.keepDifficult()).isTrue();
    assertThat(spec.keepTruncated()).isTrue();
    assertThat(spec.keepImagesWithoutObjects()).isTrue();
    assertThat(spec.includeClasses()).isEmpty();
    assertThat(spec.split()).isNull();
    assertThat(spec.toBuilder().split("x").build().split()).isEqualTo("x");
    assertThatThrownBy(
            () ->
                DatasetSpec.builder(VOC)
                    .includeClasses(Set.of("a"))
                    .excludeClasses(Set.of("a"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a'");
    assertThatThrownBy(() -> DatasetSpec.builder(VOC).split(" ").build())
        .hasMessageContaining("split");
    assertThatThrownBy(() -> DatasetSpec.builder(VOC).classes(java.util.List.of("a", "a")).build())
        .hasMessageContaining("unique");
  }
}
