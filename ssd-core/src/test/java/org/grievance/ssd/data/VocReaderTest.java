package org.grievance.ssd.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocReaderTest {
  private static final Path VOC = Fixtures.path("voc");

  @TempDir Path tmp;

  private static Dataset load(DatasetSpec.Builder b) {
    return VocReader.read(b.build());
  }

  private static List<String> ids(Dataset d) {
    return d.samples().stream().map(Sample::imageId).toList();
  }

  @Test
  void readsSplitWithClassesTxtAndAllObjectFields() {
    Dataset d = load(DatasetSpec.builder(VOC).split("test"));
    assertThat(d.source()).isEqualTo(VOC.toString());
    assertThat(d.classNames()).containsExactly("car", "person", "dog");
    assertThat(d.categoryIds()).containsExactly(1, 2, 3);
    assertThat(ids(d)).containsExactly("000001", "000003");

    Sample s = d.samples().get(0);
    assertThat(s.width()).isEqualTo(100);
    assertThat(s.height()).isEqualTo(80);
    assertThat(s.imagePath()).isEqualTo(VOC.resolve("JPEGImages").resolve("000001.jpg"));
    assertThat(s.objects())
        .containsExactly(
            new ObjectBox(1, 10, 20, 50, 60, false, false, false, Double.NaN),
            new ObjectBox(2, 30, 5, 70, 75, true, false, false, Double.NaN),
            new ObjectBox(3, 60.5, 40.25, 99.5, 79, false, true, false, Double.NaN));
    assertThat(d.samples().get(1).objects()).isEmpty();
    assertThat(d.samples().get(1).width()).isEqualTo(32);
  }

  @Test
  @DisplayName("<part> children are ignored: the person box is the object's, not its head's")
  void partsAreIgnored() {
    Dataset d = load(DatasetSpec.builder(VOC).split("test"));
    assertThat(d.samples().get(0).objects()).hasSize(3);
    assertThat(d.samples().get(0).objects().get(1).xmin()).isEqualTo(30);
  }

  @Test
  void withoutSplitReadsEveryXmlSortedAndFallsBackToIdJpg() {
    Dataset d = load(DatasetSpec.builder(VOC));
    assertThat(ids(d)).containsExactly("000001", "000002", "000003");
    assertThat(d.samples().get(1).imagePath())
        .isEqualTo(VOC.resolve("JPEGImages").resolve("000002.jpg"));
  }

  @Test
  void perClassImageSetsUseTheFirstTokenOfEachLine() {
    assertThat(ids(load(DatasetSpec.builder(VOC).split("car_test"))))
        .containsExactly("000001", "000002", "000003");
  }

  @Test
  void dropsDifficultObjects() {
    Dataset d = load(DatasetSpec.builder(VOC).keepDifficult(false));
    assertThat(d.samples().get(0).objects()).extracting(ObjectBox::classId).containsExactly(1, 3);
    assertThat(d.samples().get(1).objects()).extracting(ObjectBox::classId).containsExactly(1);
    assertThat(d.objectCount()).isEqualTo(3);
  }

  @Test
  void dropsTruncatedObjects() {
    Dataset d = load(DatasetSpec.builder(VOC).keepTruncated(false));
    assertThat(d.samples().get(0).objects()).extracting(ObjectBox::classId).containsExactly(1, 2);
    assertThat(d.samples().get(1).objects()).extracting(ObjectBox::classId).containsExactly(1);
  }

  @Test
  void keepsOrDropsImagesWithoutObjects() {
    assertThat(ids(load(DatasetSpec.builder(VOC)))).contains("000003");
    assertThat(ids(load(DatasetSpec.builder(VOC).keepImagesWithoutObjects(false))))
        .containsExactly("000001", "000002");
    // An image whose only objects are filtered out counts as empty too.
    assertThat(
            ids(
                load(
                    DatasetSpec.builder(VOC)
                        .includeClasses(Set.of("dog"))
                        .keepImagesWithoutObjects(false))))
        .containsExactly("000001");
  }

  @Test
  void includeClassesShrinksTheClassListButKeepsCategoryIds() {
    Dataset d = load(DatasetSpec.builder(VOC).includeClasses(Set.of("dog", "car")));
    assertThat(d.classNames()).containsExactly("car", "dog");
    assertThat(d.categoryIds()).containsExactly(1, 3);
    assertThat(d.samples().get(0).objects()).extracting(ObjectBox::classId).containsExactly(1, 2);
    assertThat(d.classIdOfCategory(3)).isEqualTo(2);
  }

  @Test
  void excludeClassesDropsThem() {
    Dataset d = load(DatasetSpec.builder(VOC).excludeClasses(Set.of("person")));
    assertThat(d.classNames()).containsExactly("car", "dog");
    assertThat(d.categoryIds()).containsExactly(1, 3);
    assertThat(d.objectCount()).isEqualTo(3);
  }

  @Test
  void includeOfAnUnknownClassIsAnError() {
    assertThatThrownBy(() -> load(DatasetSpec.builder(VOC).includeClasses(Set.of("cat"))))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("classes.txt")
        .hasMessageContaining("[cat]")
        .hasMessageContaining("[car, person, dog]");
  }

  @Test
  void givenClassesOverrideClassesTxt() {
    Dataset d = load(DatasetSpec.builder(VOC).classes(List.of("dog", "car", "person")));
    assertThat(d.classNames()).containsExactly("dog", "car", "person");
    assertThat(d.samples().get(0).objects())
        .extracting(ObjectBox::classId)
        .containsExactly(2, 3, 1);
  }

  @Test
  void withoutClassesTxtTheTwentyVocClassesApply() throws Exception {
    Path dir = Fixtures.copy("voc", tmp.resolve("voc"));
    Files.delete(dir.resolve("classes.txt"));
    Dataset d = load(DatasetSpec.builder(dir));
    assertThat(d.classNames()).isEqualTo(VocReader.VOC_CLASSES).hasSize(20);
    assertThat(d.samples().get(0).objects())
        .extracting(ObjectBox::classId)
        .containsExactly(7, 15, 12);
  }

  @Test
  void unknownClassNamesFileObjectAndKnownClasses() {
    Path dir = Fixtures.copy("voc", tmp.resolve("voc"));
    Path xml = dir.resolve("Annotations/000002.xml");
    replace(xml, "<name>person</name>", "<name>cat</name>");
    assertThatThrownBy(() -> load(DatasetSpec.builder(dir)))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(xml + ":10:")
        .hasMessageContaining("object #1")
        .hasMessageContaining("unknown class 'cat'")
        .hasMessageContaining("[car, person, dog]");
    // ...unless the filters drop it anyway.
    assertThat(load(DatasetSpec.builder(dir).excludeClasses(Set.of("cat"))).objectCount())
        .isEqualTo(4);
    assertThat(load(DatasetSpec.builder(dir).includeClasses(Set.of("car"))).objectCount())
        .isEqualTo(2);
  }

  @Test
  void missingAnnotationFileIsNamed() {
    Path dir = Fixtures.copy("voc", tmp.resolve("voc"));
    Fixtures.write(dir.resolve("ImageSets/Main/test.txt"), List.of("000001", "000009"));
    assertThatThrownBy(() -> load(DatasetSpec.builder(dir).split("test")))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(dir.resolve("Annotations/000009.xml").toString())
        .hasMessageContaining("missing");
  }

  @Test
  void unknownSplitListsTheAvailableOnes() {
    assertThatThrownBy(() -> load(DatasetSpec.builder(VOC).split("val")))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("val.txt")
        .hasMessageContaining("[car_test, test, trainval]");
  }

  @Test
  void duplicateIdInImageSetNamesTheLine() {
    Path dir = Fixtures.copy("voc", tmp.resolve("voc"));
    Path set =
        Fixtures.write(dir.resolve("ImageSets/Main/test.txt"), List.of("000001", "", "000001"));
    assertThatThrownBy(() -> load(DatasetSpec.builder(dir).split("test")))
        .hasMessageContaining(set + ":3:")
        .hasMessageContaining("first on line 1");
  }

  @Test
  void malformedXmlNamesFileAndLine() {
    Path dir = Fixtures.copy("voc", tmp.resolve("voc"));
    Path xml =
        Fixtures.write(
            dir.resolve("Annotations/000003.xml"),
            "<annotation>\n  <size><width>3</width>\n  </sise>\n</annotation>\n");
    assertThatThrownBy(() -> load(DatasetSpec.builder(dir)))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(xml + ":3:")
        .hasMessageContaining("malformed XML");
  }

  @Test
  void nonNumericCoordinateNamesFileLineAndField() {
    Path dir = Fixtures.copy("voc", tmp.resolve("voc"));
    Path xml = dir.resolve("Annotations/000001.xml");
    replace(xml, "<xmax>50</xmax>", "<xmax>fifty</xmax>");
    assertThatThrownBy(() -> load(DatasetSpec.builder(dir)))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(xml + ":17:")
        .hasMessageContaining("object #0 ('car')")
        .hasMessageContaining("bndbox/xmax 'fifty'");
  }

  @Test
  void missingCoordinateNamesTheField() {
    Path dir = Fixtures.copy("voc", tmp.resolve("voc"));
    Path xml = dir.resolve("Annotations/000002.xml");
    replace(xml, "<ymin>2</ymin>", "");
    assertThatThrownBy(() -> load(DatasetSpec.builder(dir)))
        .hasMessageContaining(xml.toString())
        .hasMessageContaining("object #0 ('car')")
        .hasMessageContaining("missing bndbox/ymin");
  }

  @Test
  void degenerateBoxNamesFileAndObject() {
    Path dir = Fixtures.copy("voc", tmp.resolve("voc"));
    Path xml = dir.resolve("Annotations/000002.xml");
    replace(xml, "<xmax>15</xmax>", "<xmax>5</xmax>");
    assertThatThrownBy(() -> load(DatasetSpec.builder(dir)))
        .hasMessageContaining(xml.toString())
        .hasMessageContaining("object #1 ('person')")
        .hasMessageContaining("degenerate")
        .hasMessageContaining("xmax=5.0");
  }

  @Test
  void badFlagAndSizeValuesAreNamed() {
    Path dir = Fixtures.copy("voc", tmp.resolve("voc"));
    Path xml = dir.resolve("Annotations/000001.xml");
    replace(xml, "<difficult>1</difficult>", "<difficult>yes</difficult>");
    assertThatThrownBy(() -> load(DatasetSpec.builder(dir)))
        .hasMessageContaining(xml + ":25:")
        .hasMessageContaining("object #1 ('person'): <difficult> must be 0 or 1");
    Path xml2 = dir.resolve("Annotations/000002.xml");
    replace(xml2, "<width>64</width>", "<width>wide</width>");
    assertThatThrownBy(() -> load(DatasetSpec.builder(dir).split("trainval")))
        .hasMessageContaining(xml2 + ":3:")
        .hasMessageContaining("size/width");
  }

  @Test
  @DisplayName("XXE: a DOCTYPE with an external entity is rejected and the file is never read")
  void externalEntitiesAreRejected() {
    Path secret = Fixtures.write(tmp.resolve("secret.txt"), "TOP-SECRET");
    Path dir = Fixtures.copy("voc", tmp.resolve("voc"));
    Path xml =
        Fixtures.write(
            dir.resolve("Annotations/000003.xml"),
            "<?xml version=\"1.0\"?>\n<!DOCTYPE annotation [\n  <!ENTITY xxe SYSTEM \""
                + secret.toUri()
                + "\">\n]>\n<annotation>\n  <filename>&xxe;</filename>\n</annotation>\n");
    assertThatThrownBy(() -> load(DatasetSpec.builder(dir)))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(xml.toString())
        .hasMessageContaining("DOCTYPE")
        .hasMessageNotContaining("TOP-SECRET");
  }

  @Test
  void predefinedEntitiesAndCdataAreText() {
    Path dir = Fixtures.copy("voc", tmp.resolve("voc"));
    Path xml = dir.resolve("Annotations/000002.xml");
    replace(xml, "<name>car</name>", "<name>R&amp;D</name>");
    replace(xml, "<name>person</name>", "<name><![CDATA[a<b]]></name>");
    Dataset d = load(DatasetSpec.builder(dir).split("trainval").classes(List.of("R&D", "a<b")));
    assertThat(d.samples().get(0).objects()).extracting(ObjectBox::classId).containsExactly(1, 2);
  }

  @Test
  void classesTxtRejectsBackgroundAndDuplicatesWithLine() {
    Path dir = Fixtures.copy("voc", tmp.resolve("voc"));
    Path classes = Fixtures.write(dir.resolve("classes.txt"), List.of("# c", "car", "dog", "car"));
    assertThatThrownBy(() -> load(DatasetSpec.builder(dir)))
        .hasMessageContaining(classes + ":4:")
        .hasMessageContaining("duplicate class name 'car'");
    Fixtures.write(classes, List.of("background", "car"));
    assertThatThrownBy(() -> load(DatasetSpec.builder(dir)))
        .hasMessageContaining(classes + ":1:")
        .hasMessageContaining("background");
  }

  private static void replace(Path file, String from, String to) {
    try {
      String s = Files.readString(file);
      if (!s.contains(from)) {
        throw new IllegalStateException(file + " has no " + from);
      }
      Files.writeString(file, s.replace(from, to));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
