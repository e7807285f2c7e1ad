package org.grievance.ssd.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The annotation formats {@link DatasetLoader} reads. */
public enum DatasetFormat {
  /**
   * Pascal VOC directory: {@code Annotations/*.xml}, {@code JPEGImages/}, {@code ImageSets/Main}.
   */
  VOC,
  /** MS COCO instances JSON file. */
  COCO,
  /** Udacity-style CSV file, one box per row. */
  CSV;

  /**
   * Guesses the format from the path: a directory holding {@code Annotations/} is VOC, a {@code
   * .json} file COCO, a {@code .csv} file CSV.
   *
   * @throws DatasetException naming the path when it does not exist or fits none of them
   */
  public static DatasetFormat detect(Path path) {
    if (!Files.exists(path)) {
      throw DatasetException.in(path, "dataset path does not exist");
    }
    if (Files.isDirectory(path)) {
      if (Files.isDirectory(path.resolve("Annotations"))) {
        return VOC;
      }
      throw DatasetException.in(
          path,
          "cannot detect the dataset format: a directory must hold an Annotations/ folder (Pascal"
              + " VOC); give a .json (COCO) or .csv file otherwise");
    }
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) {
      return COCO;
    }
    if (name.endsWith(".csv")) {
      return CSV;
    }
    throw DatasetException.in(
        path,
        "cannot detect the dataset format from the file name: expected a VOC directory, a .json"
            + " (COCO) or a .csv file; name the format explicitly");
  }

  /** Parses {@code voc}, {@code coco} or {@code csv} (any case). */
  public static DatasetFormat parse(String name) {
    for (DatasetFormat f : values()) {
      if (f.name().equalsIgnoreCase(name.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown dataset format '" + name + "': expected voc, coco or csv");
  }
}
