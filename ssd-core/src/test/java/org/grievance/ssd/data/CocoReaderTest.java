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

class CocoReaderTest {
  private static final Path COCO = Fixtures.path("coco/instances.json");

  @TempDir Path tmp;

  private static Dataset read(DatasetSpec.Builder b) {
    return CocoReader.read(b.build());
  }

  @Test
  void mapsCategoriesToContiguousClassIdsAndKeepsOriginalIds() {
    Dataset d = read(DatasetSpec.builder(COCO));
    assertThat(d.classNames()).containsExactly("person", "car", "dog");
    assertThat(d.categoryIds()).containsExactly(1, 3, 18);
    assertThat(d.classIdOfCategory(18)).isEqualTo(3);
    assertThat(d.categoryIdOfClass(2)).isEqualTo(3);
    assertThatThrownBy(() -> d.classIdOfCategory(2))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(COCO.toString())
        .hasMessageContaining("unknown category id 2")
        .hasMessageContaining("[1, 3, 18]");
  }

  @Test
  void readsImagesAndBoxesAsCorners() {
    Dataset d = read(DatasetSpec.builder(COCO));
    assertThat(d.samples()).extracting(Sample::imageId).containsExactly("42", "73", "100");
    Sample s = d.byId("42").orElseThrow();
    assertThat(s.width()).isEqualTo(640);
    assertThat(s.height()).isEqualTo(480);
    assertThat(s.imagePath()).isEqualTo(COCO.getParent().resolve("000000000042.jpg"));
    assertThat(s.objects())
        .containsExactly(
            new ObjectBox(3, 10.5, 20, 40.5, 60.25, false, false, false, 1150.5),
            new ObjectBox(1, 0, 0, 5, 5, false, false, true, 20));
    ObjectBox car = d.byId("73").orElseThrow().objects().get(0);
    assertThat(car).isEqualTo(new ObjectBox(2, 1, 2, 4, 6, false, false, false, Double.NaN));
    assertThat(d.byId("100").orElseThrow().objects()).isEmpty();
  }

  @Test
  void imagesComeFromASiblingImagesDirectoryWhenPresent() throws Exception {
    Path json = tmp.resolve("instances.json");
    Files.copy(COCO, json);
    Files.createDirectory(tmp.resolve("images"));
    assertThat(read(DatasetSpec.builder(json)).samples().get(0).imagePath())
        .isEqualTo(tmp.resolve("images").resolve("000000000042.jpg"));
  }

  @Test
  @DisplayName("include filter by class name, not by original COCO id (reference quirk 16)")
  void includeClassesByName() {
    Dataset d =
        read(
            DatasetSpec.builder(COCO)
                .includeClasses(Set.of("dog"))
                .keepImagesWithoutObjects(false));
    assertThat(d.classNames()).containsExactly("dog");
    assertThat(d.categoryIds()).containsExactly(18);
    assertThat(d.samples()).extracting(Sample::imageId).containsExactly("42");
    assertThat(d.samples().get(0).objects()).extracting(ObjectBox::classId).containsExactly(1);
    assertThat(d.classIdOfCategory(18)).isEqualTo(1);
    assertThat(d.findClassIdOfCategory(1)).isEmpty();
  }

  @Test
  void excludeClassesAndEmptyImages() {
    Dataset d = read(DatasetSpec.builder(COCO).excludeClasses(Set.of("car")));
    assertThat(d.classNames()).containsExactly("person", "dog");
    assertThat(d.byId("73").orElseThrow().objects()).isEmpty();
    Dataset dropped =
        read(
            DatasetSpec.builder(COCO)
                .excludeClasses(Set.of("car"))
                .keepImagesWithoutObjects(false));
    assertThat(dropped.samples()).extracting(Sample::imageId).containsExactly("42");
  }

  @Test
  void givenClassesMustMatchTheCategories() {
    assertThat(
            read(DatasetSpec.builder(COCO).classes(List.of("person", "car", "dog"))).classCount())
        .isEqualTo(3);
    assertThatThrownBy(() -> read(DatasetSpec.builder(COCO).classes(List.of("car", "person"))))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(COCO.toString())
        .hasMessageContaining("[person, car, dog]");
  }

  @Test
  void fileWithoutAnnotationsGivesEmptyImages() {
    Path json =
        Fixtures.write(
            tmp.resolve("test.json"),
            "{\"images\":[{\"id\":\"a\",\"file_name\":\"a.jpg\"}],"
                + "\"categories\":[{\"id\":5,\"name\":\"x\"}]}");
    Dataset d = read(DatasetSpec.builder(json));
    assertThat(d.samples()).containsExactly(new Sample("a", tmp.resolve("a.jpg"), 0, 0, List.of()));
  }

  @Test
  void malformedJsonNamesLineAndColumn() {
    Path json = Fixtures.write(tmp.resolve("bad.json"), "{\n  \"images\": [\n    ,\n  ]\n}\n");
    assertThatThrownBy(() -> read(DatasetSpec.builder(json)))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(json + ":3:5: malformed JSON");
  }

  @Test
  void annotationErrorsNameTheAnnotationIdAndField() {
    String head =
        "{\"images\":[{\"id\":1,\"file_name\":\"a.jpg\"}],"
            + "\"categories\":[{\"id\":5,\"name\":\"x\"}],\"annotations\":[";
    assertAnnotationError(
        head + "{\"id\":7,\"image_id\":2,\"category_id\":5,\"bbox\":[0,0,1,1]}]}",
        "annotations[0] (id 7).image_id: unknown image id 2");
    assertAnnotationError(
        head + "{\"id\":7,\"image_id\":1,\"category_id\":6,\"bbox\":[0,0,1,1]}]}",
        "annotations[0] (id 7).category_id: unknown category id 6");
    assertAnnotationError(
        head + "{\"id\":7,\"image_id\":1,\"category_id\":5,\"bbox\":[0,0,1]}]}",
        "annotations[0] (id 7).bbox: must be an array of 4 numbers");
    assertAnnotationError(
        head + "{\"id\":7,\"image_id\":1,\"category_id\":5,\"bbox\":[0,0,\"1\",1]}]}",
        "annotations[0] (id 7).bbox[2]: must be a number");
    assertAnnotationError(
        head + "{\"id\":7,\"image_id\":1,\"category_id\":5,\"bbox\":[0,0,-1,1]}]}",
        "annotations[0] (id 7).bbox: width and height must be >= 0, got -1.0 x 1.0");
    assertAnnotationError(
        head + "{\"id\":7,\"image_id\":1,\"category_id\":5}]}",
        "annotations[0] (id 7): missing field 'bbox'");
    assertAnnotationError(
        head + "{\"id\":7,\"image_id\":1,\"category_id\":5,\"bbox\":[0,0,1,1],\"iscrowd\":2}]}",
        "annotations[0] (id 7).iscrowd: must be 0 or 1");
  }

  @Test
  void imageAndCategoryErrorsNameTheField() {
    assertAnnotationError(
        "{\"images\":[{\"id\":1,\"file_name\":\"a.jpg\"},{\"id\":1,\"file_name\":\"b.jpg\"}],"
            + "\"categories\":[]}",
        "images[1].id: duplicate image id 1");
    assertAnnotationError(
        "{\"images\":[{\"id\":1.5,\"file_name\":\"a.jpg\"}],\"categories\":[]}",
        "images[0].id: must be an integer or a non-blank string");
    assertAnnotationError(
        "{\"images\":[],\"categories\":[{\"id\":1,\"name\":\"a\"},{\"id\":1,\"name\":\"b\"}]}",
        "categories[1].id: duplicate category id 1");
    assertAnnotationError("{\"images\":[]}", "'categories' must be an array (missing)");
    assertAnnotationError("[]", "top level must be a JSON object");
  }

  private void assertAnnotationError(String json, String expected) {
    Path file = Fixtures.write(tmp.resolve("case.json"), json);
    assertThatThrownBy(() -> read(DatasetSpec.builder(file)))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(file + ": ")
        .hasMessageContaining(expected);
  }
}
