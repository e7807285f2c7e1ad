package org.grievance.ssd.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YoloReaderTest {
  @TempDir Path tmp;

  @Test
  void convertsNormalisedCentresToPixelCornersUsingTheImageHeader() {
    Path dir = YoloFixtures.simple(tmp);
    Dataset d = YoloReader.read(DatasetSpec.of(dir));
    assertThat(d.classNames()).containsExactly("cat", "dog");
    assertThat(d.categoryIds()).containsExactly(1, 2);
    assertThat(d.samples()).extracting(Sample::imageId).containsExactly("a", "b", "c");
    Sample a = d.samples().get(0);
    assertThat(a.width()).isEqualTo(100);
    assertThat(a.height()).isEqualTo(50);
    assertThat(a.imagePath()).isEqualTo(dir.resolve("images/a.png"));
    // cx 0.5*100=50, w 0.2*100=20 -> 40..60; cy 0.5*50=25, h 0.4*50=20 -> 15..35
    assertThat(a.objects())
        .containsExactly(ObjectBox.of(1, 40, 15, 60, 35), ObjectBox.of(2, 0, 0, 50, 50));
    assertThat(d.samples().get(1).objects()).isEmpty();
    assertThat(d.samples().get(1).width()).isEqualTo(40);
    assertThat(d.samples().get(2).objects()).isEmpty();
    assertThat(d.samples().get(2).height()).isEqualTo(20);
    assertThat(DatasetProblems.validate(d)).isEmpty();
  }

  @Test
  void imagesWithoutObjectsAreDroppedOnRequestAndFiltersApply() {
    Path dir = YoloFixtures.simple(tmp);
    Dataset d =
        YoloReader.read(
            DatasetSpec.builder(dir)
                .keepImagesWithoutObjects(false)
                .includeClasses(Set.of("dog"))
                .build());
    assertThat(d.classNames()).containsExactly("dog");
    assertThat(d.categoryIds()).containsExactly(2);
    assertThat(d.samples()).extracting(Sample::imageId).containsExactly("a");
    assertThat(d.samples().get(0).objects()).containsExactly(ObjectBox.of(1, 0, 0, 50, 50));
  }

  @Test
  void detectedAndDispatchedByTheLoader() {
    Path dir = YoloFixtures.simple(tmp);
    assertThat(DatasetFormat.detect(dir)).isEqualTo(DatasetFormat.YOLO);
    assertThat(DatasetLoader.load(DatasetSpec.of(dir)).objectCount()).isEqualTo(2);
  }

  @Test
  void splitFoldersUnderImagesAndLabels() {
    Fixtures.write(tmp.resolve("classes.txt"), "cat\n");
    YoloFixtures.png(tmp.resolve("images/train/a.png"), 10, 10);
    YoloFixtures.png(tmp.resolve("images/val/b.png"), 10, 10);
    Fixtures.write(tmp.resolve("labels/train/a.txt"), "0 0.5 0.5 1 1\n");
    Fixtures.write(tmp.resolve("labels/val/b.txt"), "0 0.5 0.5 0.5 0.5\n");

    Dataset train = DatasetLoader.load(DatasetSpec.of(tmp, "train"));
    assertThat(train.samples()).extracting(Sample::imageId).containsExactly("a");
    assertThat(train.samples().get(0).objects()).containsExactly(ObjectBox.of(1, 0, 0, 10, 10));

    Dataset all = DatasetLoader.load(DatasetSpec.of(tmp));
    assertThat(all.samples()).extracting(Sample::imageId).containsExactly("train/a", "val/b");
    assertThat(all.samples().get(1).objects()).containsExactly(ObjectBox.of(1, 2.5, 2.5, 7.5, 7.5));
  }

  @Test
  void splitListOfImagePaths() {
    YoloFixtures.simple(tmp);
    Fixtures.write(tmp.resolve("train.txt"), "images/a.png\n\n./images/c.png\n");
    Dataset d = DatasetLoader.load(DatasetSpec.of(tmp, "train"));
    assertThat(d.samples()).extracting(Sample::imageId).containsExactly("a", "c");
    assertThat(d.objectCount()).isEqualTo(2);

    Fixtures.write(tmp.resolve("val.txt"), "images/a.png\nimages/missing.png\n");
    assertThatThrownBy(() -> DatasetLoader.load(DatasetSpec.of(tmp, "val")))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(tmp.resolve("val.txt") + ":2: ")
        .hasMessageContaining("missing.png does not exist");

    Fixtures.write(tmp.resolve("dup.txt"), "images/a.png\nimages/a.png\n");
    assertThatThrownBy(() -> DatasetLoader.load(DatasetSpec.of(tmp, "dup")))
        .hasMessageStartingWith(tmp.resolve("dup.txt") + ":2: ")
        .hasMessageContaining("duplicate image id 'a'");
  }

  @Test
  void unknownSplitListsTheAvailableOnes() {
    YoloFixtures.simple(tmp);
    Fixtures.write(tmp.resolve("train.txt"), "images/a.png\n");
    assertThatThrownBy(() -> DatasetLoader.load(DatasetSpec.of(tmp, "test")))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(tmp + ": ")
        .hasMessageContaining("split 'test' not found")
        .hasMessageEndingWith("available: [train]");
  }

  @Test
  void classNamesFromObjNamesOrGeneratedByIndex() throws Exception {
    YoloFixtures.simple(tmp);
    Files.delete(tmp.resolve("classes.txt"));
    assertThat(YoloReader.read(DatasetSpec.of(tmp)).classNames())
        .containsExactly("class_0", "class_1");
    Fixtures.write(tmp.resolve("obj.names"), "person\nbike\ncar\n");
    assertThat(YoloReader.read(DatasetSpec.of(tmp)).classNames())
        .containsExactly("person", "bike", "car");
    assertThat(
            YoloReader.read(DatasetSpec.builder(tmp).classes(List.of("x", "y")).build())
                .classNames())
        .containsExactly("x", "y");
  }

  @Test
  void malformedLinesNameFileLineAndField() {
    YoloFixtures.simple(tmp);
    Path label = tmp.resolve("labels/a.txt");
    assertError(label, "0 0.5 0.5 0.2\n", ":1: ", "expected 5 fields");
    assertError(label, "0 0.5 0.5 0.2 0.2\n0 0.5 0.5 0.2 0.2 0.9\n", ":2: ", "extra columns");
    assertError(label, "\n0 0.5 x 0.2 0.2\n", ":2: ", "cy: 'x' is not a finite number");
    assertError(label, "-1 0.5 0.5 0.2 0.2\n", ":1: ", "class_index: '-1'");
    assertError(label, "cat 0.5 0.5 0.2 0.2\n", ":1: ", "class_index: 'cat'");
    assertError(label, "2 0.5 0.5 0.2 0.2\n", ":1: ", "class_index 2 is beyond the 2 classes");
    assertError(label, "0 0.5 0.5 -0.2 0.2\n", ":1: ", "w: negative size");
    assertError(label, "0 320 240 50 40\n", ":1: ", "cx: 320 is far outside [0, 1]");
    assertError(label, "0 0.5 NaN 0.2 0.2\n", ":1: ", "cy: 'NaN' is not a finite number");
  }

  private void assertError(Path label, String text, String line, String message) {
    Fixtures.write(label, text);
    assertThatThrownBy(() -> YoloReader.read(DatasetSpec.of(tmp)))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(label + line)
        .hasMessageContaining(message);
  }

  @Test
  void slightlyOutOfRangeValuesAreKeptAndReportedAgainstTheLabelFile() {
    YoloFixtures.simple(tmp);
    Path label = tmp.resolve("labels/a.txt");
    Fixtures.write(label, "0 0.95 0.5 0.2 0.2\n1 0.5 0.5 0 0.2\n");
    Dataset d = YoloReader.read(DatasetSpec.of(tmp));
    assertThat(d.samples().get(0).objects()).hasSize(2);
    List<DatasetProblems.Problem> problems = DatasetProblems.validate(d);
    assertThat(problems)
        .extracting(DatasetProblems.Problem::field)
        .containsExactly("bndbox/xmax", "bndbox");
    assertThat(problems).allSatisfy(p -> assertThat(p.file()).isEqualTo(label.toString()));
    assertThat(problems.get(0).message()).contains("beyond the 100x50 image");
  }

  @Test
  void integralFloatClassIndexIsAccepted() {
    YoloFixtures.simple(tmp);
    Fixtures.write(tmp.resolve("labels/a.txt"), "1.0 0.5 0.5 0.2 0.4\n");
    assertThat(YoloReader.read(DatasetSpec.of(tmp)).samples().get(0).objects().get(0).classId())
        .isEqualTo(2);
    Fixtures.write(tmp.resolve("labels/a.txt"), "1.5 0.5 0.5 0.2 0.4\n");
    assertThatThrownBy(() -> YoloReader.read(DatasetSpec.of(tmp)))
        .hasMessageContaining("class_index: '1.5'");
  }

  @Test
  void unreadableImageIsAnErrorNamingTheImage() throws Exception {
    YoloFixtures.simple(tmp);
    Path broken = Files.writeString(tmp.resolve("images/d.png"), "not a png");
    assertThatThrownBy(() -> YoloReader.read(DatasetSpec.of(tmp)))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(broken + ": ")
        .hasMessageContaining("cannot read the image size");
  }

  @Test
  void twoImagesWithOneStemAreRejected() {
    YoloFixtures.simple(tmp);
    YoloFixtures.png(tmp.resolve("images/a.bmp"), 4, 4);
    assertThatThrownBy(() -> YoloReader.read(DatasetSpec.of(tmp)))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("same image id 'a'");
  }

  @Test
  void notAYoloDirectory() throws Exception {
    Files.createDirectories(tmp.resolve("images"));
    assertThatThrownBy(() -> YoloReader.read(DatasetSpec.of(tmp)))
        .hasMessageStartingWith(tmp + ": ")
        .hasMessageContaining("labels/");
  }

  @Test
  void labelFileReplacesTheNearestImagesFolder() {
    assertThat(YoloReader.labelFile(Path.of("d/images/train/x.y.jpg")))
        .isEqualTo(Path.of("d/labels/train/x.y.txt"));
    assertThat(YoloReader.labelFile(Path.of("/images/d/images/x.png")))
        .isEqualTo(Path.of("/images/d/labels/x.txt"));
    assertThat(YoloReader.labelFile(Path.of("data/obj/x.jpg")))
        .isEqualTo(Path.of("data/obj/x.txt"));
    assertThat(YoloReader.labelFile(Path.of("x.jpg"))).isEqualTo(Path.of("x.txt"));
  }
}
