package org.grievance.ssd.data;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to load and which objects to keep.
 *
 * @param path VOC directory, COCO JSON file, CSV file or YOLO directory
 * @param split VOC image-set name ({@code ImageSets/Main/<split>.txt}) or YOLO split ({@code
 *     images/<split>/} or {@code <split>.txt}); {@code null} loads every XML of {@code
 *     Annotations/} or every YOLO image. Must be {@code null} for COCO and CSV (one file is one
 *     split).
 * @param format {@code null} to {@link DatasetFormat#detect detect} it from the path
 * @param classes class names (no background) overriding the dataset's own list ({@code classes.txt}
 *     for VOC/CSV, also {@code obj.names} for YOLO); for COCO it must equal the category names.
 *     {@code null}: from the dataset.
 * @param keepDifficult keep objects flagged difficult
 * @param keepTruncated keep objects flagged truncated
 * @param keepImagesWithoutObjects keep images left with no object (after filtering)
 * @param includeClasses if non-empty, keep only objects of these class names; the class list
 *     shrinks to them (category ids keep their original values)
 * @param excludeClasses drop objects of these class names; may also name classes unknown to the
 *     class list, to silence them
 */
public record DatasetSpec(
    Path path,
    String split,
    DatasetFormat format,
    List<String> classes,
    boolean keepDifficult,
    boolean keepTruncated,
    boolean keepImagesWithoutObjects,
    Set<String> includeClasses,
    Set<String> excludeClasses) {

  public DatasetSpec {
    Objects.requireNonNull(path, "path");
    if (split != null && split.isBlank()) {
      throw new IllegalArgumentException("split must be null (all images) or a name, got blank");
    }
    if (classes != null) {
      classes = List.copyOf(classes);
      Set<String> seen = new HashSet<>();
      for (String c : classes) {
        if (c.isBlank() || !seen.add(c)) {
          throw new IllegalArgumentException(
              "classes must be non-blank and unique, got " + classes);
        }
      }
    }
    includeClasses = includeClasses == null ? Set.of() : Set.copyOf(includeClasses);
    excludeClasses = excludeClasses == null ? Set.of() : Set.copyOf(excludeClasses);
    for (String c : includeClasses) {
      if (excludeClasses.contains(c)) {
        throw new IllegalArgumentException(
            "class '" + c + "' is both in includeClasses and excludeClasses");
      }
    }
  }

  /** Everything in {@code path}: all images, all objects, format detected. */
  public static DatasetSpec of(Path path) {
    return builder(path).build();
  }

  /** Everything in the {@code split} of {@code path}. */
  public static DatasetSpec of(Path path, String split) {
    return builder(path).split(split).build();
  }

  public static Builder builder(Path path) {
    return new Builder(path);
  }

  /** A builder starting from this spec. */
  public Builder toBuilder() {
    return new Builder(path)
        .split(split)
        .format(format)
        .classes(classes)
        .keepDifficult(keepDifficult)
        .keepTruncated(keepTruncated)
        .keepImagesWithoutObjects(keepImagesWithoutObjects)
        .includeClasses(includeClasses)
        .excludeClasses(excludeClasses);
  }

  /** True when the object of class {@code name} passes the include/exclude filters. */
  public boolean keepsClass(String name) {
    return (includeClasses.isEmpty() || includeClasses.contains(name))
        && !excludeClasses.contains(name);
  }

  /** Builder with the defaults of {@link #of(Path)}. */
  public static final class Builder {
    private Path path;
    private String split;
    private DatasetFormat format;
    private List<String> classes;
    private boolean keepDifficult = true;
    private boolean keepTruncated = true;
    private boolean keepImagesWithoutObjects = true;
    private Set<String> includeClasses = Set.of();
    private Set<String> excludeClasses = Set.of();

    private Builder(Path path) {
      this.path = path;
    }

    public Builder path(Path value) {
      this.path = value;
      return this;
    }

    public Builder split(String value) {
      this.split = value;
      return this;
    }

    public Builder format(DatasetFormat value) {
      this.format = value;
      return this;
    }

    public Builder classes(List<String> value) {
      this.classes = value;
      return this;
    }

    public Builder keepDifficult(boolean value) {
      this.keepDifficult = value;
      return this;
    }

    public Builder keepTruncated(boolean value) {
      this.keepTruncated = value;
      return this;
    }

    public Builder keepImagesWithoutObjects(boolean value) {
      this.keepImagesWithoutObjects = value;
      return this;
    }

    public Builder includeClasses(Set<String> value) {
      this.includeClasses = value;
      return this;
    }

    public Builder excludeClasses(Set<String> value) {
      this.excludeClasses = value;
      return this;
    }

    public DatasetSpec build() {
      return new DatasetSpec(
          path,
          split,
          format,
          classes,
          keepDifficult,
          keepTruncated,
          keepImagesWithoutObjects,
          includeClasses,
          excludeClasses);
    }
  }
}
