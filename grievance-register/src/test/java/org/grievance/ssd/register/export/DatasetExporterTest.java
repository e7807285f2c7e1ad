package org.grievance.ssd.register.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.DatasetLoader;
import org.grievance.ssd.data.DatasetSpec;
import org.grievance.ssd.data.ObjectBox;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.ImageFormat;
import org.grievance.ssd.image.Orientation;
import org.grievance.ssd.image.PhotoMetadata;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.register.CleanPhoto;
import org.grievance.ssd.testing.ExifPhotos;
import org.grievance.ssd.testing.TinyModels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetExporterTest {
  private static final List<String> CLASSES = List.of("pothole", "graffiti");
  private static final OffsetDateTime MONDAY =
      OffsetDateTime.of(2026, 3, 2, 10, 0, 0, 0, ZoneOffset.UTC);
  private static final OffsetDateTime FRIDAY = MONDAY.plusDays(4);

  @TempDir Path tmp;
  private Reviews reviews;
  private DatasetExporter exporter;

  @BeforeEach
  void setUp() {
    reviews = new Reviews(tmp.resolve("data"));
    exporter = new DatasetExporter(reviews.photos);
  }

  @AfterEach
  void tearDown() {
    reviews.db.close();
  }

  /** What each exported image id should hold: class and corners per box. */
  private final Map<String, List<String>> expected = new HashMap<>();

  private long reviewed(long seed, OffsetDateTime at, String... boxes) throws Exception {
    long id = reviews.grievance(seed);
    reviews.annotate(id, true, at, List.of(boxes));
    expected.put("g" + id, List.of(boxes));
    return id;
  }

  private ExportSummary export(Path out, ExportFormat format, Instant since) throws Exception {
    return exporter.export(
        reviews.db,
        ExportRequest.of(out, format).withClasses(CLASSES).withSince(since),
        DatasetExporter.Progress.NONE);
  }

  /** Every split of the export in {@code dir}, read back by the project's readers. */
  private static List<Sample> readBack(Path dir) {
    List<Sample> all = new ArrayList<>();
    for (Split s : Split.values()) {
      Dataset d = ExportedDataset.load(dir, s);
      assertThat(d.classNames()).isEqualTo(CLASSES);
      for (Sample sample : d.samples()) {
        all.add(relabel(d, sample));
      }
    }
    return all;
  }

  /** COCO image ids are the grievance ids; VOC's the file stems: compare by file stem. */
  private static Sample relabel(Dataset d, Sample s) {
    String stem = s.imagePath().getFileName().toString().replaceAll("\\..*$", "");
    return new Sample(stem, s.imagePath(), s.width(), s.height(), s.objects());
  }

  private static List<String> boxes(Dataset d, Sample s) {
    return s.objects().stream().map(b -> box(d, b)).toList();
  }

  private static String box(Dataset d, ObjectBox b) {
    return d.className(b.classId())
        + ","
        + num(b.xmin())
        + ","
        + num(b.ymin())
        + ","
        + num(b.xmax())
        + ","
        + num(b.ymax());
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  @Test
  void exportsExactlyTheReviewedPhotosAndBoxesInBothFormats() throws Exception {
    reviewed(1, MONDAY, "pothole,1,2,30,40", "graffiti,10.5,5,60,47");
    reviewed(2, MONDAY);
    reviewed(3, FRIDAY, "graffiti,0,0,64,48");
    long draft = reviews.grievance(4);
    reviews.annotate(draft, false, MONDAY, List.of("pothole,1,1,5,5"));
    reviews.grievance(5); // never annotated
    for (ExportFormat format : ExportFormat.values()) {
      Path out = tmp.resolve("export-" + format.word());
      ExportSummary summary = export(out, format, null);
      assertThat(summary.photos()).isEqualTo(3);
      assertThat(summary.boxesPerClass()).containsEntry("pothole", 1).containsEntry("graffiti", 2);
      List<Sample> back = readBack(out);
      Map<String, List<String>> got = new HashMap<>();
      for (Split s : Split.values()) {
        Dataset d = ExportedDataset.load(out, s);
        for (Sample sample : d.samples()) {
          Sample r = relabel(d, sample);
          got.put(r.imageId(), boxes(d, sample));
          assertThat(Split.of(Long.parseLong(r.imageId().substring(1)))).isEqualTo(s);
        }
      }
      assertThat(back).hasSize(3);
      assertThat(got).as(format.word()).isEqualTo(expected);
      assertThat(got).doesNotContainKeys("g" + draft, "g5");
    }
  }

  @Test
  void exportedPhotosAreTheStoredCleanCopiesWithoutAnyMetadata() throws Exception {
    RgbImage upright = TinyModels.image(40, 30, 9);
    byte[] phone =
        ExifPhotos.withExif(
            ImageFiles.jpegBytes(ExifPhotos.storedPixels(upright, Orientation.ROTATE_90_CW), 0.95f),
            new ExifPhotos.Exif(Orientation.ROTATE_90_CW, 51.5, -0.12, "secret-camera"));
    assertThat(PhotoMetadata.read(phone).orientation()).isEqualTo(Orientation.ROTATE_90_CW);
    Path upload = Files.write(tmp.resolve("upload.jpg"), phone);
    CleanPhoto clean = CleanPhoto.of(ImageFiles.read(upload), ImageFormat.JPEG);
    long id = reviews.grievance(clean.bytes(), 30, 40);
    reviews.annotate(id, true, MONDAY, List.of("pothole,2,3,20,30"));

    Path out = tmp.resolve("export");
    export(out, ExportFormat.VOC, null);
    Path file = out.resolve("JPEGImages").resolve("g" + id + ".jpg");
    byte[] exported = Files.readAllBytes(file);
    assertThat(exported).isEqualTo(clean.bytes());
    assertThat(PhotoMetadata.read(exported)).isEqualTo(PhotoMetadata.NONE);
    String latin = new String(exported, StandardCharsets.ISO_8859_1);
    assertThat(latin).doesNotContain("Exif").doesNotContain("secret-camera");
    assertThat(ImageFiles.readSize(file).width()).isEqualTo(30);
    assertThat(ImageFiles.readSize(file).height()).isEqualTo(40);
  }

  @Test
  void sinceLeavesOutPhotosReviewedBefore() throws Exception {
    reviewed(1, MONDAY, "pothole,1,2,30,40");
    long late = reviewed(2, FRIDAY, "graffiti,1,2,30,40");
    Path out = tmp.resolve("export");
    ExportSummary summary = export(out, ExportFormat.COCO, FRIDAY.minusHours(1).toInstant());
    assertThat(summary.photos()).isEqualTo(1);
    assertThat(readBack(out)).extracting(Sample::imageId).containsExactly("g" + late);
  }

  @Test
  void splitsAreStableAcrossExportsAndTheTestSplitOnlyGrows() throws Exception {
    for (int i = 0; i < 30; i++) {
      reviewed(i, MONDAY, "pothole,1,2,30,40");
    }
    Path out = tmp.resolve("export");
    export(out, ExportFormat.VOC, null);
    Map<String, String> first = splitsOf(out);
    Set<String> firstTest = idsOf(first, "test");

    for (int i = 30; i < 80; i++) {
      reviewed(i, FRIDAY, "graffiti,1,2,30,40");
    }
    ExportSummary again = export(out, ExportFormat.VOC, null);
    Map<String, String> second = splitsOf(out);
    assertThat(second).hasSize(80).containsAllEntriesOf(first);
    assertThat(idsOf(second, "test")).containsAll(firstTest).hasSizeGreaterThan(firstTest.size());
    assertThat(again.photosPerSplit().values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(80);
    // Nothing of the first export or the staging is left beside it.
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("data", "export");
    }
  }

  private static Map<String, String> splitsOf(Path voc) throws IOException {
    Map<String, String> out = new HashMap<>();
    for (Split s : Split.values()) {
      for (String id : Files.readAllLines(voc.resolve("ImageSets/Main/" + s.fileName() + ".txt"))) {
        assertThat(out.put(id, s.fileName())).as(id + " in two splits").isNull();
      }
    }
    return out;
  }

  private static Set<String> idsOf(Map<String, String> splits, String split) {
    Set<String> out = new HashSet<>();
    splits.forEach(
        (id, s) -> {
          if (s.equals(split)) {
            out.add(id);
          }
        });
    return out;
  }

  @Test
  void theSplitFollowsTheDocumentedFractions() {
    int[] n = new int[3];
    for (long id = 1; id <= 20_000; id++) {
      n[Split.of(id).ordinal()]++;
    }
    assertThat(n[0] / 20_000.0)
        .isCloseTo(Split.TRAIN_FRACTION, org.assertj.core.data.Offset.offset(0.01));
    assertThat(n[1] / 20_000.0)
        .isCloseTo(Split.VAL_FRACTION, org.assertj.core.data.Offset.offset(0.01));
    assertThat(Split.of(12345)).isEqualTo(Split.of(12345));
  }

  @Test
  void aTestOnlyExportWritesOnlyTheTestSplit() throws Exception {
    for (int i = 0; i < 20; i++) {
      reviewed(i, MONDAY, "pothole,1,2,30,40");
    }
    Path out = tmp.resolve("test-only");
    ExportSummary summary =
        exporter.export(
            reviews.db,
            ExportRequest.of(out, ExportFormat.VOC)
                .withClasses(CLASSES)
                .withSplits(EnumSet.of(Split.TEST)),
            DatasetExporter.Progress.NONE);
    assertThat(summary.photosPerSplit().get(Split.TRAIN)).isZero();
    assertThat(summary.photosPerSplit().get(Split.TEST)).isPositive();
    assertThat(Files.exists(out.resolve("ImageSets/Main/train.txt"))).isFalse();
    Dataset test = ExportedDataset.load(out, Split.TEST);
    assertThat(test.size()).isEqualTo(summary.photosPerSplit().get(Split.TEST));
    try (Stream<Path> s = Files.list(out.resolve("JPEGImages"))) {
      assertThat(s.count()).isEqualTo(test.size());
    }
  }

  @Test
  void boxesOfOtherClassesAreLeftOutAndCountedAndTheClassListDefaultsToTheBoxes() throws Exception {
    reviewed(1, MONDAY, "pothole,1,2,30,40", "unicorn,3,3,9,9");
    Path out = tmp.resolve("export");
    ExportSummary summary = export(out, ExportFormat.VOC, null);
    assertThat(summary.leftOutPerClass()).containsExactly(Map.entry("unicorn", 1));
    assertThat(summary.lines()).anyMatch(l -> l.contains("left out: 1 boxes of class 'unicorn'"));

    ExportSummary own =
        exporter.export(
            reviews.db, ExportRequest.of(out, ExportFormat.VOC), DatasetExporter.Progress.NONE);
    assertThat(own.classes()).containsExactly("pothole", "unicorn");
    assertThat(DatasetLoader.load(DatasetSpec.of(out)).objectCount()).isEqualTo(2);
  }

  @Test
  void refusesToReplaceAFolderThatIsNotAnExport() throws Exception {
    reviewed(1, MONDAY, "pothole,1,2,30,40");
    Path out = Files.createDirectories(tmp.resolve("precious"));
    Files.writeString(out.resolve("notes.txt"), "keep me");
    assertThatThrownBy(() -> export(out, ExportFormat.VOC, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an earlier export");
    assertThat(out.resolve("notes.txt")).hasContent("keep me");
  }

  @Test
  void aMalformedStoredBoxIsAnErrorNamingTheGrievanceAndField() {
    assertThatThrownBy(
            () -> ReviewedPhotos.boxes(7, "[{\"class\":\"pothole\",\"box\":{\"xmin\":1}}]"))
        .hasMessageContaining("grievance 7")
        .hasMessageContaining("boxes[0].box.ymin");
  }
}
