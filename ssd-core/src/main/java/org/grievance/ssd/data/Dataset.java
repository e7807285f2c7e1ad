package org.grievance.ssd.data;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A loaded dataset: the class list and the annotated images.
 *
 * <p>Class ids are contiguous: class id {@code i + 1} is {@code classNames.get(i)}. {@code
 * categoryIds.get(i)} is the id written to (and expected in) results JSON for that class: the
 * original COCO category id, or the class's 1-based position in the <em>unfiltered</em> class list
 * for VOC/CSV. When include/exclude filters shrink the class list, class ids are renumbered but
 * category ids stay those of the full list, so results files do not depend on the filter.
 *
 * @param source the path the dataset was loaded from (directory for VOC, file for COCO/CSV)
 * @param classNames class names without background
 * @param categoryIds results-file id of each class, same size as {@code classNames}
 * @param samples the images, in source order
 */
public record Dataset(
    String source, List<String> classNames, List<Integer> categoryIds, List<Sample> samples) {

  public Dataset {
    Objects.requireNonNull(source, "source");
    classNames = List.copyOf(Objects.requireNonNull(classNames, "classNames"));
    categoryIds = List.copyOf(Objects.requireNonNull(categoryIds, "categoryIds"));
    samples = List.copyOf(Objects.requireNonNull(samples, "samples"));
    if (classNames.size() != categoryIds.size()) {
      throw new IllegalArgumentException(
          source
              + ": "
              + classNames.size()
              + " class names but "
              + categoryIds.size()
              + " category ids");
    }
    Set<String> names = new HashSet<>();
    for (String n : classNames) {
      if (n.isBlank() || !names.add(n)) {
        throw new IllegalArgumentException(
            source + ": class names must be non-blank and unique, got " + classNames);
      }
    }
    if (new HashSet<>(categoryIds).size() != categoryIds.size()) {
      throw new IllegalArgumentException(
          source + ": category ids must be unique, got " + categoryIds);
    }
    Set<String> ids = new HashSet<>();
    for (Sample s : samples) {
      if (!ids.add(s.imageId())) {
        throw new IllegalArgumentException(source + ": duplicate image id '" + s.imageId() + "'");
      }
      for (int k = 0; k < s.objects().size(); k++) {
        int c = s.objects().get(k).classId();
        if (c > classNames.size()) {
          throw new IllegalArgumentException(
              source
                  + ": image "
                  + s.imageId()
                  + " object #"
                  + k
                  + " has class id "
                  + c
                  + " but there are only "
                  + classNames.size()
                  + " classes");
        }
      }
    }
  }

  /** Number of images. */
  public int size() {
    return samples.size();
  }

  /** Number of classes, background excluded. */
  public int classCount() {
    return classNames.size();
  }

  /** Total number of objects over all images. */
  public int objectCount() {
    int n = 0;
    for (Sample s : samples) {
      n += s.objects().size();
    }
    return n;
  }

  /** Name of the 1-based {@code classId}. */
  public String className(int classId) {
    checkClassId(classId);
    return classNames.get(classId - 1);
  }

  /** Results-file category id of the 1-based {@code classId}. */
  public int categoryIdOfClass(int classId) {
    checkClassId(classId);
    return categoryIds.get(classId - 1);
  }

  /** The 1-based class id named {@code name}, if any. */
  public OptionalInt classIdOf(String name) {
    int i = classNames.indexOf(name);
    return i < 0 ? OptionalInt.empty() : OptionalInt.of(i + 1);
  }

  /** The 1-based class id of a results-file category id, empty if no class has it. */
  public OptionalInt findClassIdOfCategory(int categoryId) {
    int i = categoryIds.indexOf(categoryId);
    return i < 0 ? OptionalInt.empty() : OptionalInt.of(i + 1);
  }

  /**
   * The 1-based class id of a results-file category id.
   *
   * @throws DatasetException naming the dataset and its known category ids when none matches
   */
  public int classIdOfCategory(int categoryId) {
    OptionalInt c = findClassIdOfCategory(categoryId);
    if (c.isEmpty()) {
      throw new DatasetException(
          source
              + ": unknown category id "
              + categoryId
              + "; known category ids "
              + categoryIds
              + " (classes "
              + classNames
              + ")");
    }
    return c.getAsInt();
  }

  /** Map from results-file category id to 1-based class id. */
  public Map<Integer, Integer> classIdsByCategory() {
    Map<Integer, Integer> m = new HashMap<>();
    for (int i = 0; i < categoryIds.size(); i++) {
      m.put(categoryIds.get(i), i + 1);
    }
    return Map.copyOf(m);
  }

  /**
   * The image with id {@code imageId}. Linear scan: for many look-ups build {@link #samplesById()}
   * once.
   */
  public Optional<Sample> byId(String imageId) {
    for (Sample s : samples) {
      if (s.imageId().equals(imageId)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** Images by id, in dataset order. */
  public Map<String, Sample> samplesById() {
    Map<String, Sample> m = new LinkedHashMap<>();
    for (Sample s : samples) {
      m.put(s.imageId(), s);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The same classes with other images. */
  public Dataset withSamples(List<Sample> newSamples) {
    return new Dataset(source, classNames, categoryIds, newSamples);
  }

  private void checkClassId(int classId) {
    if (classId < 1 || classId > classNames.size()) {
      throw new IllegalArgumentException(
          "class id must be in 1.." + classNames.size() + ", got " + classId);
    }
  }
}
