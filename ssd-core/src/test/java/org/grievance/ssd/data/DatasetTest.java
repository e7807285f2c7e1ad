package org.grievance.ssd.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetTest {
  private static Sample sample(String id, ObjectBox... boxes) {
    return new Sample(id, Path.of(id + ".jpg"), 10, 10, List.of(boxes));
  }

  private static final Dataset D =
      new Dataset(
          "mem",
          List.of("cat", "dog"),
          List.of(17, 18),
          List.of(sample("a", ObjectBox.of(2, 0, 0, 1, 1)), sample("b")));

  @Test
  void classAndCategoryLookups() {
    assertThat(D.className(2)).isEqualTo("dog");
    assertThat(D.categoryIdOfClass(1)).isEqualTo(17);
    assertThat(D.classIdOf("dog")).hasValue(2);
    assertThat(D.classIdOf("cow")).isEmpty();
    assertThat(D.classIdOfCategory(18)).isEqualTo(2);
    assertThat(D.findClassIdOfCategory(1)).isEmpty();
    assertThat(D.classIdsByCategory()).isEqualTo(Map.of(17, 1, 18, 2));
    assertThatThrownBy(() -> D.className(3)).hasMessageContaining("1..2");
  }

  @Test
  void imageLookupsAndCounts() {
    assertThat(D.byId("b")).hasValue(sample("b"));
    assertThat(D.byId("c")).isEmpty();
    assertThat(D.samplesById().keySet()).containsExactly("a", "b");
    assertThat(D.size()).isEqualTo(2);
    assertThat(D.objectCount()).isEqualTo(1);
    assertThat(D.withSamples(List.of()).classNames()).isEqualTo(D.classNames());
  }

  @Test
  void rejectsInconsistentContent() {
    assertThatThrownBy(() -> new Dataset("m", List.of("a"), List.of(1, 2), List.of()))
        .hasMessageContaining("1 class names but 2 category ids");
    assertThatThrownBy(() -> new Dataset("m", List.of("a", "a"), List.of(1, 2), List.of()))
        .hasMessageContaining("unique");
    assertThatThrownBy(() -> new Dataset("m", List.of("a", "b"), List.of(1, 1), List.of()))
        .hasMessageContaining("category ids must be unique");
    assertThatThrownBy(
            () -> new Dataset("m", List.of("a"), List.of(1), List.of(sample("x"), sample("x"))))
        .hasMessageContaining("duplicate image id 'x'");
    assertThatThrownBy(
            () ->
                new Dataset(
                    "m",
                    List.of("a"),
                    List.of(1),
                    List.of(sample("x", ObjectBox.of(2, 0, 0, 1, 1)))))
        .hasMessageContaining("image x object #0 has class id 2");
  }

  @Test
  void objectAndSampleValidation() {
    assertThatThrownBy(() -> ObjectBox.of(0, 0, 0, 1, 1)).hasMessageContaining("classId");
    assertThatThrownBy(() -> ObjectBox.of(1, Double.NaN, 0, 1, 1)).hasMessageContaining("xmin");
    assertThat(ObjectBox.of(1, 2, 2, 2, 3).isDegenerate()).isTrue();
    assertThat(ObjectBox.of(1, 1, 2, 4, 8).corners()).containsExactly(1, 2, 4, 8);
    assertThatThrownBy(() -> new Sample("x", Path.of("x"), -1, 0, List.of()))
        .hasMessageContaining("width/height");
  }
}
