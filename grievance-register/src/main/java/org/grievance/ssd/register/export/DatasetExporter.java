package org.grievance.ssd.register.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.grievance.ssd.data.ClassListFile;
import org.grievance.ssd.image.ImageFormat;
import org.grievance.ssd.io.AtomicFiles;
import org.grievance.ssd.io.VocAnnotationXml;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.PhotoStore;

/**
 * Writes reviewed photos and their boxes as a dataset the detector's readers load ({@code ssd
 * dataset check}, {@code ssd train}, {@code ssd evaluate}). The photos are the register's stored
 * clean copies, byte for byte: upright and without metadata. Each photo's split comes from {@link
 * Split#of}; each image is named after its grievance ({@code g<id>.jpg}), so a photo keeps its name
 * and split from one export to the next.
 *
 * <p>The dataset is written into a staging folder beside {@code out} and then swapped in by
 * renames: a reader sees the old export or the new one, never a mixture, and a failed export leaves
 * the old one in place. A folder that is neither empty nor a previous export ({@value #MARKER}) is
 * refused rather than replaced.
 */
public final class DatasetExporter {
  /** The file that marks a folder as an export, written last; it describes the export. */
  public static final String MARKER = "register-export.json";

  /** Told after each photo written. */
  public interface Progress {
    Progress NONE = (done, total) -> {};

    void update(int done, int total);
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final PhotoStore photos;

  public DatasetExporter(PhotoStore photos) {
    this.photos = photos;
  }

  /** Reads the reviewed photos from {@code db} and exports them. */
  public ExportSummary export(Database db, ExportRequest request, Progress progress)
      throws IOException, SQLException {
    return export(new ReviewedPhotos(db).list(request.since()), request, progress);
  }

  /** Exports {@code reviewed} (already filtered by review time) as {@code request} says. */
  public ExportSummary export(
      List<ReviewedPhoto> reviewed, ExportRequest request, Progress progress) throws IOException {
    Path out = request.out().toAbsolutePath().normalize();
    requireReplaceable(out);
    List<String> classes = request.classes() != null ? request.classes() : classesOf(reviewed);
    List<ReviewedPhoto> chosen =
        reviewed.stream()
            .filter(p -> request.splits().contains(Split.of(p.grievanceId())))
            .toList();
    Path parent = out.getParent();
    Files.createDirectories(parent);
    Path staging = parent.resolve("." + out.getFileName() + ".export-" + UUID.randomUUID());
    try {
      ExportSummary summary = write(chosen, request, classes, out, staging, progress);
      swapIn(staging, out);
      return summary;
    } finally {
      deleteRecursively(staging);
    }
  }

  private ExportSummary write(
      List<ReviewedPhoto> chosen,
      ExportRequest request,
      List<String> classes,
      Path out,
      Path dir,
      Progress progress)
      throws IOException {
    Map<Split, Integer> photosPerSplit = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      photosPerSplit.put(s, 0);
    }
    Map<String, Integer> boxesPerClass = new LinkedHashMap<>();
    Map<String, Integer> leftOut = new TreeMap<>();
    Map<Split, List<String>> idsPerSplit = new EnumMap<>(Split.class);
    Map<Split, CocoFile> coco = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      idsPerSplit.put(s, new ArrayList<>());
      coco.put(s, new CocoFile(classes));
    }
    Path images = dir.resolve(request.format() == ExportFormat.VOC ? "JPEGImages" : "images");
    Files.createDirectories(images);
    int done = 0;
    for (ReviewedPhoto p : chosen) {
      byte[] bytes = photos.read(p.photoSha256());
      ImageFormat format =
          ImageFormat.sniff(bytes)
              .orElseThrow(
                  () ->
                      new IOException(
                          "grievance "
                              + p.grievanceId()
                              + ": the stored photo "
                              + p.photoSha256()
                              + " is not an image"));
      String id = "g" + p.grievanceId();
      String fileName = id + "." + format.extension();
      AtomicFiles.writeBulk(images.resolve(fileName), bytes);
      List<AnnotatedBox> kept = new ArrayList<>();
      for (AnnotatedBox b : p.boxes()) {
        if (classes.contains(b.className())) {
          kept.add(b);
          boxesPerClass.merge(b.className(), 1, Integer::sum);
        } else {
          leftOut.merge(b.className(), 1, Integer::sum);
        }
      }
      Split split = Split.of(p.grievanceId());
      photosPerSplit.merge(split, 1, Integer::sum);
      idsPerSplit.get(split).add(id);
      if (request.format() == ExportFormat.VOC) {
        List<VocAnnotationXml.Box> boxes =
            kept.stream()
                .map(
                    b ->
                        new VocAnnotationXml.Box(
                            b.className(), b.xmin(), b.ymin(), b.xmax(), b.ymax(), false))
                .toList();
        AtomicFiles.writeBulk(
            dir.resolve("Annotations").resolve(id + ".xml"),
            VocAnnotationXml.xml(
                "register", fileName, "grievance-register", p.width(), p.height(), boxes));
      } else {
        coco.get(split).add(p, fileName, kept, classes);
      }
      progress.update(++done, chosen.size());
    }
    for (Split s : request.splits()) {
      if (request.format() == ExportFormat.VOC) {
        AtomicFiles.writeBulk(
            dir.resolve("ImageSets").resolve("Main").resolve(s.fileName() + ".txt"),
            lines(idsPerSplit.get(s)));
      } else {
        AtomicFiles.writeBulk(
            dir.resolve(s.fileName() + ".json"), JSON.writeValueAsBytes(coco.get(s).root));
      }
    }
    AtomicFiles.writeBulk(dir.resolve(ClassListFile.FILE_NAME), lines(classes));
    ExportSummary summary =
        new ExportSummary(out, request.format(), classes, photosPerSplit, boxesPerClass, leftOut);
    AtomicFiles.write(dir.resolve(MARKER), marker(request, summary));
    return summary;
  }

  /** One COCO instances file being built. */
  private static final class CocoFile {
    final ObjectNode root = JSON.createObjectNode();
    final ArrayNode images;
    final ArrayNode annotations;
    int nextAnnotationId = 1;

    CocoFile(List<String> classes) {
      root.putObject("info").put("description", "grievance register: officials' reviewed boxes");
      images = root.putArray("images");
      annotations = root.putArray("annotations");
      ArrayNode categories = root.putArray("categories");
      for (int i = 0; i < classes.size(); i++) {
        categories.addObject().put("id", i + 1).put("name", classes.get(i));
      }
    }

    void add(ReviewedPhoto p, String fileName, List<AnnotatedBox> boxes, List<String> classes) {
      images
          .addObject()
          .put("id", p.grievanceId())
          .put("file_name", fileName)
          .put("width", p.width())
          .put("height", p.height());
      for (AnnotatedBox b : boxes) {
        double w = b.xmax() - b.xmin();
        double h = b.ymax() - b.ymin();
        ObjectNode a = annotations.addObject();
        a.put("id", nextAnnotationId++);
        a.put("image_id", p.grievanceId());
        a.put("category_id", classes.indexOf(b.className()) + 1);
        ArrayNode bbox = a.putArray("bbox");
        bbox.add(b.xmin()).add(b.ymin()).add(w).add(h);
        a.put("area", w * h);
        a.put("iscrowd", 0);
      }
    }
  }

  private static byte[] marker(ExportRequest request, ExportSummary summary) throws IOException {
    ObjectNode m = JSON.createObjectNode();
    m.put("schema", "register-export/1");
    m.put("format", request.format().word());
    m.put("exportedAt", Instant.now().toString());
    if (request.since() != null) {
      m.put("since", request.since().toString());
    }
    ArrayNode splits = m.putArray("splits");
    request.splits().forEach(s -> splits.add(s.fileName()));
    ObjectNode photos = m.putObject("photos");
    for (Split s : Split.values()) {
      photos.put(s.fileName(), summary.photosPerSplit().getOrDefault(s, 0));
    }
    ArrayNode classes = m.putArray("classes");
    summary.classes().forEach(classes::add);
    ObjectNode boxes = m.putObject("boxes");
    summary.classes().forEach(c -> boxes.put(c, summary.boxesPerClass().getOrDefault(c, 0)));
    return JSON.writeValueAsBytes(m);
  }

  private static List<String> classesOf(List<ReviewedPhoto> reviewed) {
    TreeSet<String> names = new TreeSet<>();
    for (ReviewedPhoto p : reviewed) {
      p.boxes().forEach(b -> names.add(b.className()));
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException(
          "no reviewed box names a class, so there is no class list: give the classes (--classes"
              + " or --model)");
    }
    return List.copyOf(names);
  }

  private static byte[] lines(List<String> lines) {
    StringBuilder s = new StringBuilder();
    lines.forEach(l -> s.append(l).append('\n'));
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Refuses to replace a folder that is neither empty nor an earlier export. */
  private static void requireReplaceable(Path out) throws IOException {
    if (!Files.exists(out)) {
      return;
    }
    if (!Files.isDirectory(out)) {
      throw new IllegalArgumentException("--out " + out + " is a file, not a folder");
    }
    boolean empty;
    try (Stream<Path> s = Files.list(out)) {
      empty = s.findAny().isEmpty();
    }
    if (!empty && !Files.isRegularFile(out.resolve(MARKER))) {
      throw new IllegalArgumentException(
          "--out "
              + out
              + " holds files but no "
              + MARKER
              + ": it is not an earlier export, so it is not replaced; choose another folder");
    }
  }

  /** Moves {@code staging} to {@code out}, the previous export out of the way first. */
  private static void swapIn(Path staging, Path out) throws IOException {
    Path old = null;
    if (Files.exists(out)) {
      old = out.resolveSibling("." + out.getFileName() + ".old-" + UUID.randomUUID());
      move(out, old);
    }
    try {
      move(staging, out);
    } catch (IOException e) {
      if (old != null) {
        move(old, out);
      }
      throw e;
    }
    AtomicFiles.syncDirectory(out.getParent());
    if (old != null) {
      deleteRecursively(old);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
