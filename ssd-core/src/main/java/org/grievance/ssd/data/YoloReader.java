package org.grievance.ssd.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a YOLO (Darknet / Ultralytics) txt dataset: a directory with {@code images/} and {@code
 * labels/}, one {@code labels/<stem>.txt} per {@code images/<stem>.<ext>}, each line {@code
 * class_index cx cy w h} with a 0-based class index and centre/size normalised by the image size.
 *
 * <p>Images: without a split, every image file under {@code images/} (recursively); with split
 * {@code S}, the images under {@code images/S/} if that folder exists, else the image paths listed
 * one per line in {@code S.txt} in the dataset directory (relative to it, or absolute). The label
 * file of an image is found by replacing its nearest {@code images} folder with {@code labels} and
 * its extension with {@code .txt} (the Ultralytics rule), or beside the image when no {@code
 * images} folder is in its path. A missing or empty label file means an image without objects.
 * Image id: the path below {@code images/} (or {@code images/S/}) without extension, with {@code /}
 * separators (so {@code images/train/a.jpg} is {@code train/a} without a split and {@code a} with
 * split {@code train}); for listed images outside {@code images/}, the file stem.
 *
 * <p>Class names, first found: {@link DatasetSpec#classes()}, {@code classes.txt}, {@code
 * obj.names} (one name per line, as {@link ClassListFile}), else {@code class_0 .. class_N} named
 * by YOLO index up to the largest index used. {@code data.yaml} is not read: give the classes
 * instead. YOLO index {@code i} is class id {@code i + 1} and category id {@code i + 1}.
 *
 * <p>Image sizes come from the image headers (no pixels decoded); an image whose size cannot be
 * read is an error. Boxes become 0-based pixel corners {@code ((cx - w/2) W, (cy - h/2) H, (cx +
 * w/2) W, (cy + h/2) H)}, unclipped.
 *
 * <p>Value policy: a value slightly outside {@code [0, 1]} (rounding, a box reaching past the
 * border) is kept, and {@link DatasetProblems} reports the box as leaving the image; zero {@code w}
 * or {@code h} is kept and reported as degenerate. Absurd values are errors naming file, line and
 * field: a negative {@code w}/{@code h}, or any value outside {@code [-1, 2]} (more than an image
 * size away, which usually means pixel coordinates were written instead of normalised ones).
 */
public final class YoloReader {
  private static final Logger LOG = LoggerFactory.getLogger(YoloReader.class);

  /** Extensions (lower case) of the files taken as images. */
  public static final Set<String> IMAGE_EXTENSIONS =
      Set.of("jpg", "jpeg", "png", "bmp", "gif", "tif", "tiff", "webp");

  /** Class-name files looked up in the dataset directory, in this order. */
  public static final List<String> CLASS_FILES = List.of(ClassListFile.FILE_NAME, "obj.names");

  /** Normalised values outside {@code [ABSURD_MIN, ABSURD_MAX]} are errors, not problems. */
  static final double ABSURD_MIN = -1;

  static final double ABSURD_MAX = 2;

  private static final String[] FIELDS = {"class_index", "cx", "cy", "w", "h"};

  private YoloReader() {}

  /** Loads {@code spec.path()} as a YOLO directory (the spec's format is not consulted). */
  public static Dataset read(DatasetSpec spec) {
    Path dir = spec.path();
    Path imagesDir = dir.resolve("images");
    if (!Files.isDirectory(imagesDir) || !Files.isDirectory(dir.resolve("labels"))) {
      throw DatasetException.in(
          dir, "not a YOLO directory: it needs both an images/ and a labels/ folder");
    }
    List<Entry> entries =
        spec.split() == null ? walk(imagesDir, null) : splitEntries(dir, spec.split());

    List<List<Row>> rows = new ArrayList<>(entries.size());
    int maxIndex = -1;
    for (Entry e : entries) {
      List<Row> r = parseLabels(e.label);
      for (Row row : r) {
        maxIndex = Math.max(maxIndex, row.classIndex);
      }
      rows.add(r);
    }

    List<String> names = null;
    String classSource = null;
    if (spec.classes() != null) {
      names = spec.classes();
      classSource = "given classes";
    } else {
      for (String f : CLASS_FILES) {
        Path file = dir.resolve(f);
        if (Files.isRegularFile(file)) {
          names = ClassListFile.read(file);
          classSource = file.toString();
          break;
        }
      }
      if (names == null) {
        names = new ArrayList<>();
        for (int i = 0; i <= maxIndex; i++) {
          names.add("class_" + i);
        }
        classSource =
            "generated names (no " + String.join(" or ", CLASS_FILES) + " in " + dir + ")";
      }
    }
    List<Integer> categoryIds = new ArrayList<>();
    for (int i = 1; i <= names.size(); i++) {
      categoryIds.add(i);
    }
    ClassSelection selection = new ClassSelection(spec, names, categoryIds, classSource);

    List<Sample> samples = new ArrayList<>(entries.size());
    for (int n = 0; n < entries.size(); n++) {
      Entry e = entries.get(n);
      int[] size = imageSize(e);
      List<ObjectBox> objects = new ArrayList<>();
      for (Row r : rows.get(n)) {
        if (r.classIndex >= names.size()) {
          throw DatasetException.at(
              e.label,
              r.line,
              "class_index "
                  + r.classIndex
                  + " is beyond the "
                  + names.size()
                  + " classes (0-based) of "
                  + classSource
                  + ": "
                  + names);
        }
        if (!selection.keepsName(names.get(r.classIndex))) {
          continue;
        }
        double w = size[0];
        double h = size[1];
        objects.add(
            ObjectBox.of(
                selection.classIdOfFullIndex(r.classIndex),
                (r.cx - r.w / 2) * w,
                (r.cy - r.h / 2) * h,
                (r.cx + r.w / 2) * w,
                (r.cy + r.h / 2) * h));
      }
      samples.add(new Sample(e.id, e.image, size[0], size[1], objects));
    }
    return selection.dataset(dir.toString(), samples);
  }

  /**
   * The label file of {@code image}: its nearest {@code images} folder replaced by {@code labels}
   * and the extension by {@code .txt}; beside the image when no folder is named {@code images}.
   */
  public static Path labelFile(Path image) {
    Path parent = image.getParent();
    String label = stem(image.getFileName().toString()) + ".txt";
    for (Path d = parent; d != null; d = d.getParent()) {
      Path name = d.getFileName();
      if (name != null && name.toString().equals("images")) {
        return d.resolveSibling("labels").resolve(d.relativize(parent)).resolve(label);
      }
    }
    return parent == null ? Path.of(label) : parent.resolve(label);
  }

  /** One image to read: id, image file, label file, and where it was listed (or null). */
  private record Entry(String id, Path image, Path label, Path list, long line) {}

  /** One label line, validated. */
  private record Row(long line, int classIndex, double cx, double cy, double w, double h) {}

  /** Every image under {@code root}, sorted by relative path; ids relative to {@code root}. */
  private static List<Entry> walk(Path root, String split) {
    List<Path> files;
    try (Stream<Path> all = Files.walk(root)) {
      files = all.filter(p -> Files.isRegularFile(p) && isImage(p)).sorted().toList();
    } catch (IOException e) {
      throw DatasetException.in(root, "cannot list images: " + e);
    }
    List<Entry> out = new ArrayList<>(files.size());
    Map<String, Path> seen = new HashMap<>();
    for (Path p : files) {
      String id = stem(root.relativize(p).toString().replace('\\', '/'));
      Path previous = seen.putIfAbsent(id, p);
      if (previous != null) {
        throw DatasetException.in(
            p, "same image id '" + id + "' as " + previous + " (two images with one label file)");
      }
      out.add(new Entry(id, p, labelFile(p), null, 0));
    }
    warnAboutOrphanLabels(root, out, split);
    return out;
  }

  /** Label files under the labels folder matching {@code imagesRoot} that no image uses. */
  private static void warnAboutOrphanLabels(Path imagesRoot, List<Entry> entries, String split) {
    Path labelsRoot = labelFile(imagesRoot.resolve("x.jpg")).getParent();
    if (labelsRoot == null || !Files.isDirectory(labelsRoot)) {
      return;
    }
    Set<Path> used = new HashSet<>();
    for (Entry e : entries) {
      used.add(e.label.normalize());
    }
    List<Path> orphans;
    try (Stream<Path> all = Files.walk(labelsRoot)) {
      orphans =
          all.filter(p -> p.toString().endsWith(".txt") && Files.isRegularFile(p))
              .filter(p -> !used.contains(p.normalize()))
              .sorted()
              .toList();
    } catch (IOException e) {
      return; // only a warning
    }
    if (!orphans.isEmpty()) {
      LOG.warn(
          "{}: {} label file(s) without an image{} are ignored, e.g. {}",
          labelsRoot,
          orphans.size(),
          split == null ? "" : " in split " + split,
          orphans.get(0));
    }
  }

  /** Images of split {@code split}: folder {@code images/<split>/}, else list {@code split.txt}. */
  private static List<Entry> splitEntries(Path dir, String split) {
    Path folder = dir.resolve("images").resolve(split);
    if (Files.isDirectory(folder)) {
      return walk(folder, split);
    }
    Path list = dir.resolve(split + ".txt");
    if (!Files.isRegularFile(list)) {
      throw DatasetException.in(
          dir,
          "split '"
              + split
              + "' not found: neither "
              + folder
              + "/ nor "
              + list
              + " exists; available: "
              + availableSplits(dir));
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(list, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw DatasetException.in(list, "cannot read image list: " + e);
    }
    Path imagesDir = dir.resolve("images").toAbsolutePath().normalize();
    List<Entry> out = new ArrayList<>();
    Map<String, Integer> lineOf = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1).strip();
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Path image = dir.resolve(line).normalize();
      Path abs = image.toAbsolutePath().normalize();
      String id =
          abs.startsWith(imagesDir)
              ? stem(imagesDir.relativize(abs).toString().replace('\\', '/'))
              : stem(image.getFileName().toString());
      Integer previous = lineOf.putIfAbsent(id, i + 1);
      if (previous != null) {
        throw DatasetException.at(
            list, i + 1, "duplicate image id '" + id + "' (first on line " + previous + ")");
      }
      out.add(new Entry(id, image, labelFile(image), list, i + 1));
    }
    return out;
  }

  private static List<String> availableSplits(Path dir) {
    TreeSet<String> out = new TreeSet<>();
    try (Stream<Path> folders = Files.list(dir.resolve("images"))) {
      folders.filter(Files::isDirectory).forEach(p -> out.add(p.getFileName().toString()));
    } catch (IOException e) {
      // listing is only a hint
    }
    try (Stream<Path> files = Files.list(dir)) {
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".txt") && !CLASS_FILES.contains(n))
          .forEach(n -> out.add(n.substring(0, n.length() - 4)));
    } catch (IOException e) {
      // listing is only a hint
    }
    return List.copyOf(out);
  }

  private static int[] imageSize(Entry e) {
    try {
      return ImageHeader.size(e.image);
    } catch (NoSuchFileException ex) {
      if (e.list != null) {
        throw DatasetException.at(e.list, e.line, "image " + e.image + " does not exist");
      }
      throw DatasetException.in(e.image, "image does not exist");
    } catch (IOException ex) {
      throw DatasetException.in(
          e.image,
          "cannot read the image size (needed to convert normalised YOLO boxes): "
              + ex.getMessage());
    }
  }

  /** The rows of one label file; a missing file has none. */
  private static List<Row> parseLabels(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw DatasetException.in(file, "cannot read label file: " + e);
    }
    List<Row> rows = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1).strip();
      }
      if (line.isEmpty()) {
        continue;
      }
      long lineNo = i + 1;
      String[] f = line.split("\\s+");
      if (f.length != 5) {
        throw DatasetException.at(
            file,
            lineNo,
            "expected 5 fields 'class_index cx cy w h', got "
                + f.length
                + (f.length > 5
                    ? " (segmentation polygons and extra columns are not supported)"
                    : ""));
      }
      int classIndex = classIndex(file, lineNo, f[0]);
      double[] v = new double[4];
      for (int k = 0; k < 4; k++) {
        v[k] = value(file, lineNo, FIELDS[k + 1], f[k + 1]);
      }
      for (int k = 2; k < 4; k++) {
        if (v[k] < 0) {
          throw DatasetException.at(
              file, lineNo, FIELDS[k + 1] + ": negative size " + f[k + 1] + " (need >= 0)");
        }
      }
      rows.add(new Row(lineNo, classIndex, v[0], v[1], v[2], v[3]));
    }
    return rows;
  }

  private static int classIndex(Path file, long line, String raw) {
    double v;
    try {
      v = Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    // Integral decimals such as "2.0" are accepted: some exporters write floats.
    if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE - 1) {
      throw DatasetException.at(
          file, line, "class_index: '" + raw + "' is not a non-negative integer (0-based)");
    }
    return (int) v;
  }

  private static double value(Path file, long line, String field, String raw) {
    double v;
    try {
      v = Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    if (!Double.isFinite(v)) {
      throw DatasetException.at(file, line, field + ": '" + raw + "' is not a finite number");
    }
    if (v < ABSURD_MIN || v > ABSURD_MAX) {
      throw DatasetException.at(
          file,
          line,
          field
              + ": "
              + raw
              + " is far outside [0, 1]; YOLO values are normalised by the image size"
              + " (pixel coordinates written by mistake?)");
    }
    return v;
  }

  private static boolean isImage(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** {@code name} without its last extension. */
  private static String stem(String name) {
    int dot = name.lastIndexOf('.');
    int slash = name.lastIndexOf('/');
    return dot > slash + 1 ? name.substring(0, dot) : name;
  }
}
