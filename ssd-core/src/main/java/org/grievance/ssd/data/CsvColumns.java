package org.grievance.ssd.data;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Header names of the six columns a box CSV must have; matched case-insensitively, in any order,
 * other columns ignored. The image column also answers to {@code image_name} (the reference's name
 * for it) when it is called {@code frame}.
 */
public record CsvColumns(
    String frame, String xmin, String xmax, String ymin, String ymax, String classId) {

  /** The Udacity driving dataset's header: {@code frame,xmin,xmax,ymin,ymax,class_id}. */
  public static final CsvColumns UDACITY =
      new CsvColumns("frame", "xmin", "xmax", "ymin", "ymax", "class_id");

  public CsvColumns {
    List<String> all = List.of(frame, xmin, xmax, ymin, ymax, classId);
    var seen = new HashSet<String>();
    for (String n : all) {
      Objects.requireNonNull(n, "column name");
      if (n.isBlank() || !seen.add(n.strip().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "CSV column names must be non-blank and distinct, got " + all);
      }
    }
  }

  /** The six names, in the order frame, xmin, xmax, ymin, ymax, class id. */
  public List<String> names() {
    return List.of(frame, xmin, xmax, ymin, ymax, classId);
  }
}
