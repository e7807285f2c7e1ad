package org.grievance.ssd.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Applies a {@link DatasetSpec}'s filters to a dataset's full class list and to its objects, the
 * same way for every reader.
 *
 * <p>Unlike the reference (docs/reference-behaviour.md#quirk-16-class-filters: {@code parse_json}
 * filters by original COCO ids while {@code parse_xml}/{@code parse_csv} filter by transformed
 * ids), every reader filters by class <em>name</em>.
 */
final class ClassSelection {
  private final DatasetSpec spec;
  private final List<String> fullNames;
  private final Map<String, Integer> fullIndexByName = new HashMap<>();
  private final int[] newIdByFullIndex;
  private final List<String> keptNames = new ArrayList<>();
  private final List<Integer> keptCategoryIds = new ArrayList<>();

  /**
   * @param fullNames the dataset's whole class list
   * @param fullCategoryIds results-file id of each of them
   * @param where what defined the class list, for error messages
   */
  ClassSelection(
      DatasetSpec spec, List<String> fullNames, List<Integer> fullCategoryIds, String where) {
    this.spec = spec;
    this.fullNames = List.copyOf(fullNames);
    for (int i = 0; i < fullNames.size(); i++) {
      fullIndexByName.put(fullNames.get(i), i);
    }
    TreeSet<String> unknown = new TreeSet<>(spec.includeClasses());
    unknown.removeAll(fullIndexByName.keySet());
    if (!unknown.isEmpty()) {
      throw new DatasetException(
          where
              + ": includeClasses names unknown class(es) "
              + unknown
              + "; known classes: "
              + fullNames);
    }
    newIdByFullIndex = new int[fullNames.size()];
    for (int i = 0; i < fullNames.size(); i++) {
      if (spec.keepsClass(fullNames.get(i))) {
        keptNames.add(fullNames.get(i));
        keptCategoryIds.add(fullCategoryIds.get(i));
        newIdByFullIndex[i] = keptNames.size();
      }
    }
  }

  /** The full class list (names as the source knows them). */
  List<String> fullNames() {
    return fullNames;
  }

  /** 0-based position of {@code name} in the full class list, or -1. */
  int fullIndexOf(String name) {
    Integer i = fullIndexByName.get(name);
    return i == null ? -1 : i;
  }

  /** True when the filters keep objects of class {@code name} (known or not). */
  boolean keepsName(String name) {
    return spec.keepsClass(name);
  }

  /** Class id after filtering of the full list's {@code fullIndex}, 0 when filtered out. */
  int classIdOfFullIndex(int fullIndex) {
    return newIdByFullIndex[fullIndex];
  }

  /** True when an object with these flags passes the difficult/truncated filters. */
  boolean keepsFlags(boolean difficult, boolean truncated) {
    return (spec.keepDifficult() || !difficult) && (spec.keepTruncated() || !truncated);
  }

  /** Builds the dataset, dropping images without objects unless the spec keeps them. */
  Dataset dataset(String source, List<Sample> samples) {
    List<Sample> kept = new ArrayList<>(samples.size());
    for (Sample s : samples) {
      if (spec.keepImagesWithoutObjects() || !s.objects().isEmpty()) {
        kept.add(s);
      }
    }
    return new Dataset(source, keptNames, keptCategoryIds, kept);
  }
}
