package org.grievance.ssd.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
  private static final Path CSV = Fixtures.path("csv/labels.csv");
  private static final String HEADER = "frame,xmin,xmax,ymin,ymax,class_id";

  @TempDir Path tmp;

  private static Dataset read(DatasetSpec.Builder b) {
    return CsvReader.read(b.build());
  }

  @Test
  @DisplayName("images keep first-appearance order (the reference sorts them); duplicates kept")
  void groupsRowsPerImageInFirstAppearanceOrder() {
    Dataset d = read(DatasetSpec.builder(CSV));
    assertThat(d.classNames()).containsExactly("car", "truck", "pedestrian");
    assertThat(d.categoryIds()).containsExactly(1, 2, 3);
    assertThat(d.samples())
        .extracting(Sample::imageId)
        .containsExactly("1478019952686311006", "1478019953180167674", "1478019952186311006");
    Sample first = d.samples().get(0);
    assertThat(first.imagePath()).isEqualTo(CSV.getParent().resolve("1478019952686311006.jpg"));
    assertThat(first.width()).isZero();
    assertThat(first.objects())
        .containsExactly(
            ObjectBox.of(1, 237, 143, 251, 155),
            ObjectBox.of(3, 437, 120, 454, 186),
            ObjectBox.of(1, 1, 3, 2, 4),
            ObjectBox.of(1, 1, 3, 2, 4));
    assertThat(d.samples().get(1).objects()).isEmpty();
  }

  @Test
  @DisplayName("float coordinates are accepted (the reference's int() rejects them)")
  void floatCoordinates() {
    Sample s = read(DatasetSpec.builder(CSV)).samples().get(2);
    assertThat(s.objects()).containsExactly(ObjectBox.of(2, 10.5, 30, 20, 40.75));
  }

  @Test
  void imagesWithoutObjectsCanBeDropped() {
    Dataset d = read(DatasetSpec.builder(CSV).keepImagesWithoutObjects(false));
    assertThat(d.samples())
        .extracting(Sample::imageId)
        .containsExactly("1478019952686311006", "1478019952186311006");
  }

  @Test
  void includeAndExcludeByClassName() {
    Dataset d = read(DatasetSpec.builder(CSV).includeClasses(Set.of("pedestrian")));
    assertThat(d.classNames()).containsExactly("pedestrian");
    assertThat(d.categoryIds()).containsExactly(3);
    assertThat(d.samples().get(0).objects()).containsExactly(ObjectBox.of(1, 437, 120, 454, 186));
    Dataset e = read(DatasetSpec.builder(CSV).excludeClasses(Set.of("car")));
    assertThat(e.objectCount()).isEqualTo(2);
    assertThat(e.classNames()).containsExactly("truck", "pedestrian");
  }

  @Test
  void headerMatchedByNameWithImageNameAliasAndGeneratedClassNames() {
    Path csv =
        Fixtures.write(
            tmp.resolve("boxes.csv"),
            List.of(
                "class_id, ymax ,IMAGE_NAME,extra,ymin,xmax,xmin",
                "2,40,a.b.jpg,zz,30,20,10",
                "\"4\",9,\"c,d.png\",,1,3,2"));
    Dataset d = read(DatasetSpec.builder(csv));
    assertThat(d.classNames()).containsExactly("class_1", "class_2", "class_3", "class_4");
    assertThat(d.samples()).extracting(Sample::imageId).containsExactly("a", "c,d");
    assertThat(d.samples().get(0).objects()).containsExactly(ObjectBox.of(2, 10, 30, 20, 40));
    assertThat(d.samples().get(1).objects()).containsExactly(ObjectBox.of(4, 2, 1, 3, 9));
    assertThat(d.samples().get(1).imagePath()).isEqualTo(tmp.resolve("c,d.png"));
  }

  @Test
  void customColumnsImagesDirAndGivenClasses() {
    Path csv =
        Fixtures.write(
            tmp.resolve("custom.csv"), List.of("file,x1,x2,y1,y2,label", "sub/p.q.jpg,1,2,3,4,2"));
    Path images = tmp.resolve("imgs");
    Dataset d =
        CsvReader.read(
            DatasetSpec.builder(csv).classes(List.of("cat", "dog")).build(),
            new CsvColumns("file", "x1", "x2", "y1", "y2", "label"),
            images);
    assertThat(d.classNames()).containsExactly("cat", "dog");
    assertThat(d.samples())
        .containsExactly(
            new Sample(
                "p", images.resolve("sub/p.q.jpg"), 0, 0, List.of(ObjectBox.of(2, 1, 3, 2, 4))));
  }

  @Test
  void missingHeaderIsReported() {
    Path csv = Fixtures.write(tmp.resolve("nohead.csv"), List.of("a.jpg,1,2,3,4,1"));
    assertThatThrownBy(() -> read(DatasetSpec.builder(csv)))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(csv + ":1:")
        .hasMessageContaining("header has no column 'frame'");
    Path empty = Fixtures.write(tmp.resolve("empty.csv"), "");
    assertThatThrownBy(() -> read(DatasetSpec.builder(empty)))
        .hasMessageContaining(empty.toString())
        .hasMessageContaining("header row is required");
  }

  @Test
  void malformedRowsNameLineAndColumn() {
    assertRowError("a.jpg,1,x,3,4,1", ":2:", "column 'xmax': 'x' is not a finite number");
    assertRowError("a.jpg,1,2,3,4,1.5", ":2:", "column 'class_id': '1.5' is not an integer");
    assertRowError("a.jpg,1,2,3,4,0", ":2:", "class id must be >= 1");
    assertRowError("a.jpg,1,2,3", ":2:", "column 'ymax' (#5) missing");
    assertRowError("a.jpg,1,,3,4,1", ":2:", "column 'xmax': '' is not a finite number");
    assertRowError(",1,2,3,4,1", ":2:", "column 'frame' is empty");
    assertRowError("a.jpg,5,2,3,4,1", ":2:", "degenerate box xmin=5.0 xmax=2.0");
    assertRowError("\"a.jpg,1,2,3,4,1", ":2:", "unterminated quoted field in column #1");
    assertRowError("a.jpg,NaN,2,3,4,1", ":2:", "column 'xmin': 'NaN' is not a finite number");
  }

  @Test
  void classIdBeyondTheClassListIsNamed() {
    Path dir = tmp.resolve("withclasses");
    Fixtures.write(dir.resolve("classes.txt"), List.of("car"));
    Path csv = Fixtures.write(dir.resolve("l.csv"), List.of(HEADER, "", "a.jpg,1,2,3,4,2"));
    assertThatThrownBy(() -> read(DatasetSpec.builder(csv)))
        .hasMessageStartingWith(csv + ":3:")
        .hasMessageContaining("class id 2 exceeds the 1 classes")
        .hasMessageContaining("[car]");
  }

  @Test
  void twoImagesWithTheSameIdAreAnError() {
    Path csv =
        Fixtures.write(
            tmp.resolve("dup.csv"), List.of(HEADER, "a.jpg,1,2,3,4,1", "a.png,1,2,3,4,1"));
    assertThatThrownBy(() -> read(DatasetSpec.builder(csv)))
        .hasMessageStartingWith(csv + ":3:")
        .hasMessageContaining("same image id 'a' as 'a.jpg' on line 2");
  }

  @Test
  void imageIdIsTheFileNameUpToTheFirstDot() {
    assertThat(CsvReader.imageId("dir/x.y.jpg")).isEqualTo("x");
    assertThat(CsvReader.imageId("dir\\noext")).isEqualTo("noext");
  }

  private void assertRowError(String row, String line, String expected) {
    Path csv = Fixtures.write(tmp.resolve("bad.csv"), List.of(HEADER, row));
    assertThatThrownBy(() -> read(DatasetSpec.builder(csv)))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(csv + line)
        .hasMessageContaining(expected);
  }
}
