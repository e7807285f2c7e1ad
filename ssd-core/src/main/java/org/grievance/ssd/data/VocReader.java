package org.grievance.ssd.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a Pascal VOC directory: {@code Annotations/<id>.xml}, images in {@code JPEGImages/}, image
 * sets in {@code ImageSets/Main/<split>.txt}.
 *
 * <p>Class list, first found: {@link DatasetSpec#classes()}, {@code classes.txt} in the directory,
 * else the 20 Pascal VOC classes ({@link #VOC_CLASSES}); an object whose name is not in the list is
 * an error unless the include/exclude filters drop it.
 *
 * <p>Differences from the reference {@code parse_xml} (docs/reference-behaviour.md#pascal-voc):
 * coordinates may be floats (the reference's {@code int()} fails on them); the image path uses the
 * XML's {@code <filename>} when present; degenerate boxes are rejected here with the file and
 * object named (the reference leaves them to the generator); image ids are the first token of each
 * image-set line, so the per-class sets ({@code car_test.txt: "000001 -1"}) work too.
 */
public final class VocReader {
  /** The Pascal VOC classes in their conventional order (class ids 1..20), background excluded. */
  public static final List<String> VOC_CLASSES =
      List.of(
          "aeroplane",
          "bicycle",
          "bird",
          "boat",
          "bottle",
          "bus",
          "car",
          "cat",
          "chair",
          "cow",
          "diningtable",
          "dog",
          "horse",
          "motorbike",
          "person",
          "pottedplant",
          "sheep",
          "sofa",
          "train",
          "tvmonitor");

  private VocReader() {}

  /** Loads {@code spec.path()} as a VOC directory (the spec's format is not consulted). */
  public static Dataset read(DatasetSpec spec) {
    Path dir = spec.path();
    Path annotations = dir.resolve("Annotations");
    if (!Files.isDirectory(annotations)) {
      throw DatasetException.in(dir, "not a Pascal VOC directory: no Annotations/ folder");
    }
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
      names = VOC_CLASSES;
      classSource = "default Pascal VOC classes (no " + classFile + ")";
    }
    List<Integer> categoryIds = new ArrayList<>();
    for (int i = 1; i <= names.size(); i++) {
      categoryIds.add(i);
    }
    ClassSelection selection = new ClassSelection(spec, names, categoryIds, classSource);

    List<String> ids = spec.split() == null ? allIds(annotations) : splitIds(dir, spec.split());
    Path images = dir.resolve("JPEGImages");
    List<Sample> samples = new ArrayList<>(ids.size());
    for (String id : ids) {
      samples.add(
          readAnnotation(annotations.resolve(id + ".xml"), id, images, selection, classSource));
    }
    return selection.dataset(dir.toString(), samples);
  }

  /** Every {@code Annotations/*.xml} stem, sorted, when no split is named. */
  private static List<String> allIds(Path annotations) {
    try (Stream<Path> files = Files.list(annotations)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".xml"))
          .map(n -> n.substring(0, n.length() - ".xml".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw DatasetException.in(annotations, "cannot list annotation files: " + e);
    }
  }

  /** Image ids of {@code ImageSets/Main/<split>.txt}: first token per non-blank line. */
  static List<String> splitIds(Path dir, String split) {
    Path setDir = dir.resolve("ImageSets").resolve("Main");
    Path file = setDir.resolve(split + ".txt");
    if (!Files.isRegularFile(file)) {
      throw DatasetException.in(
          file, "image set '" + split + "' not found; available: " + availableSplits(setDir));
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw DatasetException.in(file, "cannot read image set: " + e);
    }
    List<String> ids = new ArrayList<>();
    Map<String, Integer> lineOf = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String id = line.split("\\s+", 2)[0];
      Integer previous = lineOf.putIfAbsent(id, i + 1);
      if (previous != null) {
        throw DatasetException.at(
            file, i + 1, "duplicate image id '" + id + "' (first on line " + previous + ")");
      }
      ids.add(id);
    }
    return ids;
  }

  private static List<String> availableSplits(Path setDir) {
    if (!Files.isDirectory(setDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(setDir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".txt"))
          .map(n -> n.substring(0, n.length() - 4))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Sample readAnnotation(
      Path xml, String id, Path images, ClassSelection selection, String classSource) {
    if (!Files.isRegularFile(xml)) {
      throw DatasetException.in(xml, "annotation file of image '" + id + "' is missing");
    }
    XmlElement root = XmlElement.parse(xml);
    if (!root.name.equals("annotation")) {
      throw DatasetException.at(
          xml, root.line, "root element must be <annotation>, found <" + root.name + ">");
    }
    int width = 0;
    int height = 0;
    XmlElement size = root.child("size");
    if (size != null) {
      width = sizeValue(xml, size, "width");
      height = sizeValue(xml, size, "height");
    }
    XmlElement filename = root.child("filename");
    String imageFile =
        filename != null && !filename.text().isEmpty() ? filename.text() : id + ".jpg";

    List<ObjectBox> objects = new ArrayList<>();
    List<XmlElement> elements = root.children("object");
    for (int k = 0; k < elements.size(); k++) {
      XmlElement o = elements.get(k);
      String where = "object #" + k;
      XmlElement nameEl = o.child("name");
      if (nameEl == null || nameEl.text().isEmpty()) {
        throw DatasetException.at(xml, o.line, where + ": missing <name>");
      }
      String name = nameEl.text();
      int fullIndex = selection.fullIndexOf(name);
      if (!selection.keepsName(name)) {
        continue;
      }
      if (fullIndex < 0) {
        throw DatasetException.at(
            xml,
            nameEl.line,
            where
                + ": unknown class '"
                + name
                + "'; known classes ("
                + classSource
                + "): "
                + selection.fullNames());
      }
      where += " ('" + name + "')";
      boolean difficult = flag(xml, o, "difficult", where);
      boolean truncated = flag(xml, o, "truncated", where);
      if (!selection.keepsFlags(difficult, truncated)) {
        continue;
      }
      XmlElement box = o.child("bndbox");
      if (box == null) {
        throw DatasetException.at(xml, o.line, where + ": missing <bndbox>");
      }
      double xmin = coordinate(xml, box, "xmin", where);
      double ymin = coordinate(xml, box, "ymin", where);
      double xmax = coordinate(xml, box, "xmax", where);
      double ymax = coordinate(xml, box, "ymax", where);
      if (xmax <= xmin || ymax <= ymin) {
        throw DatasetException.at(
            xml,
            box.line,
            where
                + ": degenerate bndbox xmin="
                + xmin
                + " ymin="
                + ymin
                + " xmax="
                + xmax
                + " ymax="
                + ymax
                + " (need xmax > xmin and ymax > ymin)");
      }
      objects.add(
          new ObjectBox(
              selection.classIdOfFullIndex(fullIndex),
              xmin,
              ymin,
              xmax,
              ymax,
              difficult,
              truncated,
              false,
              Double.NaN));
    }
    return new Sample(id, images.resolve(imageFile), width, height, objects);
  }

  private static int sizeValue(Path xml, XmlElement size, String field) {
    XmlElement e = size.child(field);
    if (e == null || e.text().isEmpty()) {
      return 0; // unknown; DatasetProblems reports it
    }
    double v;
    try {
      v = Double.parseDouble(e.text());
    } catch (NumberFormatException ex) {
      throw DatasetException.at(
          xml, e.line, "size/" + field + ": '" + e.text() + "' is not a number");
    }
    if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE) {
      throw DatasetException.at(
          xml, e.line, "size/" + field + ": '" + e.text() + "' is not a non-negative integer");
    }
    return (int) v;
  }

  private static boolean flag(Path xml, XmlElement object, String field, String where) {
    XmlElement e = object.child(field);
    if (e == null || e.text().isEmpty()) {
      return false;
    }
    return switch (e.text()) {
      case "0" -> false;
      case "1" -> true;
      default ->
          throw DatasetException.at(
              xml, e.line, where + ": <" + field + "> must be 0 or 1, got '" + e.text() + "'");
    };
  }

  private static double coordinate(Path xml, XmlElement box, String field, String where) {
    XmlElement e = box.child(field);
    if (e == null || e.text().isEmpty()) {
      throw DatasetException.at(xml, box.line, where + ": missing bndbox/" + field);
    }
    double v;
    try {
      v = Double.parseDouble(e.text());
    } catch (NumberFormatException ex) {
      v = Double.NaN;
    }
    if (!Double.isFinite(v)) {
      throw DatasetException.at(
          xml, e.line, where + ": bndbox/" + field + " '" + e.text() + "' is not a finite number");
    }
    return v;
  }
}
