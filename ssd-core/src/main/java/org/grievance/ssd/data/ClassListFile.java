package org.grievance.ssd.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code classes.txt}: one class name per line, background not listed, blank lines and
 * lines starting with {@code #} ignored, surrounding spaces trimmed.
 */
public final class ClassListFile {
  /** The conventional file name, looked up beside VOC directories and CSV files. */
  public static final String FILE_NAME = "classes.txt";

  private ClassListFile() {}

  /**
   * The class names of {@code file}.
   *
   * @throws DatasetException naming file and line for a duplicate name, a listed {@code
   *     background}, an empty list or an unreadable file
   */
  public static List<String> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw DatasetException.in(file, "cannot read class list: " + e.getMessage());
    }
    List<String> names = new ArrayList<>();
    Map<String, Integer> lineOf = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String name = lines.get(i).strip();
      if (i == 0 && name.startsWith("\uFEFF")) {
        name = name.substring(1).strip();
      }
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      if (name.equalsIgnoreCase("background")) {
        throw DatasetException.at(
            file, i + 1, "do not list 'background': class id 0 is implicit; list object classes");
      }
      Integer previous = lineOf.putIfAbsent(name, i + 1);
      if (previous != null) {
        throw DatasetException.at(
            file, i + 1, "duplicate class name '" + name + "' (first on line " + previous + ")");
      }
      names.add(name);
    }
    if (names.isEmpty()) {
      throw DatasetException.in(file, "class list is empty");
    }
    return names;
  }
}
