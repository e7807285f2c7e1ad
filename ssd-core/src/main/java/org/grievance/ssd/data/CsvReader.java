package org.grievance.ssd.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a box CSV: a header row, then one box per row with an image file name, {@code xmin, xmax,
 * ymin, ymax} and a 1-based integer class id (columns found by header name, see {@link
 * CsvColumns}). A row with the image name and all five box fields empty declares an image without
 * objects.
 *
 * <p>Class names, first found: {@link DatasetSpec#classes()}, {@code classes.txt} beside the CSV,
 * else {@code class_1 .. class_N} up to the largest id used. Image id = the file name up to its
 * first '.', as in the reference; images dir = the CSV's directory unless given.
 *
 * <p>Differences from the reference {@code parse_csv} (docs/reference-behaviour.md#csv): columns
 * are matched by header name instead of position; coordinates may be floats; images keep their
 * first-appearance order instead of being sorted (duplicate rows are kept, as in the reference);
 * degenerate boxes are rejected with their line; images without objects can be declared.
 */
public final class CsvReader {
  private static final String IMAGE_NAME_ALIAS = "image_name";

  private CsvReader() {}

  /** Loads {@code spec.path()} with the Udacity columns and images beside the CSV. */
  public static Dataset read(DatasetSpec spec) {
    return read(spec, CsvColumns.UDACITY, null);
  }

  /**
   * Loads {@code spec.path()}.
   *
   * @param imagesDir where the image files are; {@code null}: the CSV's directory
   */
  public static Dataset read(DatasetSpec spec, CsvColumns columns, Path imagesDir) {
    Path csv = spec.path();
    Path dir = csv.toAbsolutePath().getParent();
    Path images = imagesDir != null ? imagesDir : dir;
    List<Row> rows = parse(csv, columns);

    Path classFile = dir.resolve(ClassListFile.FILE_NAME);
    List<String> names;
    String classSource;
    if (spec.classes() != null) {
      names = spec.classes();
      classSource = "given classes";
    } else if (Files.isRegularFile(classFile)) {
      names = ClassListFile.read(classFile);
      classSource = classFile.toString();
    } else {
      int max = 0;
      for (Row r : rows) {
        max = Math.max(max, r.classId);
      }
      names = new ArrayList<>();
      for (int i = 1; i <= max; i++) {
        names.add("class_" + i);
      }
      classSource = "generated names (no " + classFile + ")";
    }
    List<Integer> categoryIds = new ArrayList<>();
    for (int i = 1; i <= names.size(); i++) {
      categoryIds.add(i);
    }
    ClassSelection selection = new ClassSelection(spec, names, categoryIds, classSource);

    Map<String, ImageRows> byId = new LinkedHashMap<>();
    for (Row r : rows) {
      String id = imageId(r.frame);
      if (id.isEmpty()) {
        throw DatasetException.at(
            csv,
            r.line,
            columns.frame() + ": image name '" + r.frame + "' gives an empty image id");
      }
      ImageRows img = byId.computeIfAbsent(id, k -> new ImageRows(r.frame, r.line));
      if (!img.frame.equals(r.frame)) {
        throw DatasetException.at(
            csv,
            r.line,
            columns.frame()
                + ": image '"
                + r.frame
                + "' has the same image id '"
                + id
                + "' as '"
                + img.frame
                + "' on line "
                + img.line);
      }
      if (r.classId == 0) {
        continue; // declares an image without objects
      }
      if (r.classId > names.size()) {
        throw DatasetException.at(
            csv,
            r.line,
            columns.classId()
                + ": class id "
                + r.classId
                + " exceeds the "
                + names.size()
                + " classes of "
                + classSource
                + ": "
                + names);
      }
      if (!selection.keepsName(names.get(r.classId - 1))) {
        continue;
      }
      img.objects.add(
          ObjectBox.of(
              selection.classIdOfFullIndex(r.classId - 1), r.xmin, r.ymin, r.xmax, r.ymax));
    }
    List<Sample> samples = new ArrayList<>(byId.size());
    for (Map.Entry<String, ImageRows> e : byId.entrySet()) {
      samples.add(
          new Sample(e.getKey(), images.resolve(e.getValue().frame), 0, 0, e.getValue().objects));
    }
    return selection.dataset(csv.toString(), samples);
  }

  /** Image id of an image file name: its last path component up to the first '.'. */
  static String imageId(String frame) {
    String name = frame.replace('\\', '/');
    name = name.substring(name.lastIndexOf('/') + 1);
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  private static final class ImageRows {
    final String frame;
    final long line;
    final List<ObjectBox> objects = new ArrayList<>();

    ImageRows(String frame, long line) {
      this.frame = frame;
      this.line = line;
    }
  }

  /** One data row; {@code classId == 0} marks an image without objects. */
  private record Row(
      long line, String frame, double xmin, double xmax, double ymin, double ymax, int classId) {}

  private static List<Row> parse(Path csv, CsvColumns columns) {
    List<Row> rows = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      long lineNo = 1;
      while (header != null && header.isBlank()) {
        header = in.readLine();
        lineNo++;
      }
      if (header == null) {
        throw DatasetException.in(csv, "empty CSV: a header row is required");
      }
      if (header.startsWith("\uFEFF")) {
        header = header.substring(1);
      }
      int[] idx = headerIndices(csv, lineNo, splitLine(csv, lineNo, header), columns);
      int needed = 0;
      for (int i : idx) {
        needed = Math.max(needed, i + 1);
      }
      List<String> names = columns.names();
      String line;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        List<String> f = splitLine(csv, lineNo, line);
        if (f.size() < needed) {
          int missing = 0;
          while (idx[missing] < f.size()) {
            missing++;
          }
          throw DatasetException.at(
              csv,
              lineNo,
              "column '"
                  + names.get(missing)
                  + "' (#"
                  + (idx[missing] + 1)
                  + ") missing: row has "
                  + f.size()
                  + " fields");
        }
        String frame = f.get(idx[0]).strip();
        if (frame.isEmpty()) {
          throw DatasetException.at(csv, lineNo, "column '" + names.get(0) + "' is empty");
        }
        boolean allEmpty = true;
        for (int c = 1; c < 6; c++) {
          allEmpty &= f.get(idx[c]).isBlank();
        }
        if (allEmpty) {
          rows.add(new Row(lineNo, frame, 0, 0, 0, 0, 0));
          continue;
        }
        double xmin = number(csv, lineNo, names.get(1), f.get(idx[1]));
        double xmax = number(csv, lineNo, names.get(2), f.get(idx[2]));
        double ymin = number(csv, lineNo, names.get(3), f.get(idx[3]));
        double ymax = number(csv, lineNo, names.get(4), f.get(idx[4]));
        int classId = classId(csv, lineNo, names.get(5), f.get(idx[5]));
        if (xmax <= xmin || ymax <= ymin) {
          throw DatasetException.at(
              csv,
              lineNo,
              "degenerate box xmin="
                  + xmin
                  + " xmax="
                  + xmax
                  + " ymin="
                  + ymin
                  + " ymax="
                  + ymax
                  + " (need xmax > xmin and ymax > ymin)");
        }
        rows.add(new Row(lineNo, frame, xmin, xmax, ymin, ymax, classId));
      }
    } catch (IOException e) {
      throw DatasetException.in(csv, "cannot read: " + e);
    }
    return rows;
  }

  private static int[] headerIndices(Path csv, long line, List<String> header, CsvColumns cols) {
    Map<String, Integer> pos = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      pos.putIfAbsent(header.get(i).strip().toLowerCase(Locale.ROOT), i);
    }
    List<String> names = cols.names();
    int[] idx = new int[6];
    for (int c = 0; c < 6; c++) {
      Integer p = pos.get(names.get(c).strip().toLowerCase(Locale.ROOT));
      if (p == null && c == 0 && names.get(0).equalsIgnoreCase("frame")) {
        p = pos.get(IMAGE_NAME_ALIAS);
      }
      if (p == null) {
        throw DatasetException.at(
            csv,
            line,
            "header has no column '"
                + names.get(c)
                + "' (needs "
                + names
                + ", found "
                + header
                + "); is the header row missing?");
      }
      idx[c] = p;
    }
    return idx;
  }

  private static double number(Path csv, long line, String column, String raw) {
    String s = raw.strip();
    double v;
    try {
      v = s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    if (!Double.isFinite(v)) {
      throw DatasetException.at(
          csv, line, "column '" + column + "': '" + s + "' is not a finite number");
    }
    return v;
  }

  private static int classId(Path csv, long line, String column, String raw) {
    String s = raw.strip();
    int v;
    try {
      v = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw DatasetException.at(
          csv, line, "column '" + column + "': '" + s + "' is not an integer class id");
    }
    if (v < 1) {
      throw DatasetException.at(
          csv, line, "column '" + column + "': class id must be >= 1 (0 is background), got " + v);
    }
    return v;
  }

  /** Splits one CSV line; double-quoted fields may contain commas and doubled quotes. */
  static List<String> splitLine(Path csv, long line, String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int i = 0;
    int n = s.length();
    while (true) {
      cur.setLength(0);
      if (i < n && s.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw DatasetException.at(
                csv, line, "unterminated quoted field in column #" + (out.size() + 1));
          }
          char c = s.charAt(i++);
          if (c == '"') {
            if (i < n && s.charAt(i) == '"') {
              cur.append('"');
              i++;
            } else {
              break;
            }
          } else {
            cur.append(c);
          }
        }
        if (i < n && s.charAt(i) != ',') {
          throw DatasetException.at(
              csv, line, "text after closing quote in column #" + (out.size() + 1));
        }
      } else {
        while (i < n && s.charAt(i) != ',') {
          cur.append(s.charAt(i++));
        }
      }
      out.add(cur.toString());
      if (i >= n) {
        return out;
      }
      i++; // skip the comma
    }
  }
}
