package org.grievance.ssd.register.export;

import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to export and where.
 *
 * @param out the dataset folder; created, or replaced when it holds a previous export
 * @param format VOC or COCO
 * @param since only photos reviewed at or after this instant; {@code null}: all
 * @param classes the class list of the dataset (the served model's classes, in its order, so that
 *     {@code ssd train --init} can start from that model); boxes of other classes are left out and
 *     counted. {@code null}: the classes the boxes use, sorted by name
 * @param splits the splits to write (all three, or only {@link Split#TEST} for an evaluation)
 */
public record ExportRequest(
    Path out, ExportFormat format, Instant since, List<String> classes, Set<Split> splits) {
  /** Validates the fields. */
  public ExportRequest {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(format, "format");
    if (classes != null) {
      classes = List.copyOf(classes);
      Set<String> seen = new HashSet<>();
      for (String c : classes) {
        if (c.isBlank() || !seen.add(c)) {
          throw new IllegalArgumentException(
              "classes must be non-blank and unique, got " + classes);
        }
      }
      if (classes.isEmpty()) {
        throw new IllegalArgumentException("classes must not be empty (null: from the boxes)");
      }
    }
    splits =
        splits == null || splits.isEmpty() ? EnumSet.allOf(Split.class) : EnumSet.copyOf(splits);
  }

  /** Every reviewed photo, all splits, classes from the boxes. */
  public static ExportRequest of(Path out, ExportFormat format) {
    return new ExportRequest(out, format, null, null, null);
  }

  /** This request with another class list. */
  public ExportRequest withClasses(List<String> value) {
    return new ExportRequest(out, format, since, value, splits);
  }

  /** This request with another lower bound on the review time. */
  public ExportRequest withSince(Instant value) {
    return new ExportRequest(out, format, value, classes, splits);
  }

  /** This request for the given splits only. */
  public ExportRequest withSplits(Set<Split> value) {
    return new ExportRequest(out, format, since, classes, value);
  }
}
