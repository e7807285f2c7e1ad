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
  CSV,
  /** YOLO txt directory: {@code images/}, {@code labels/<stem>.txt}, {@code classes.txt}. */
  YOLO;

  /**
   * Guesses the format from the path: a directory holding {@code Annotations/} is VOC, one holding
   * {@code labels/} and {@code images/} YOLO, a {@code .json} file COCO, a {@code .csv} file CSV.
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
      if (Files.isDirectory(path.resolve("labels")) && Files.isDirectory(path.resolve("images"))) {
        return YOLO;
      }
      throw DatasetException.in(
          path,
          "cannot detect the dataset format: a directory must hold an Annotations/ folder (Pascal"
              + " VOC) or labels/ and images/ folders (YOLO); give a .json (COCO) or .csv file"
              + " otherwise");
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
        "cannot detect the dataset format from the file name: expected a VOC or YOLO directory, a"
            + " .json (COCO) or a .csv file; name the format explicitly");
  }

  /** Parses {@code voc}, {@code coco}, {@code csv} or {@code yolo} (any case). */
  public static DatasetFormat parse(String name) {
    for (DatasetFormat f : values()) {
      if (f.name().equalsIgnoreCase(name.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown dataset format '" + name + "': expected voc, coco, csv or yolo");
  }
}
