package org.grievance.ssd.spark;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.grievance.ssd.cli.SsdCli;
import org.grievance.ssd.data.CocoResultsJson;
import org.grievance.ssd.data.DatasetLoader;
import org.grievance.ssd.data.DatasetSpec;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.infer.DatasetPredictions;
import org.grievance.ssd.infer.DetectionWriter;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.infer.ImageDetections;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.FolderPhotoStore;
import org.grievance.ssd.register.ModelVersions;
import org.grievance.ssd.register.PhotoStore;
import org.grievance.ssd.register.RegisterConfig;
import org.grievance.ssd.register.store.NewGrievance;
import org.grievance.ssd.register.store.RetagRepository;
import org.grievance.ssd.register.workflow.GrievanceWorkflow;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.store.CheckpointFiles;
import org.grievance.ssd.synth.SynthConfig;
import org.grievance.ssd.synth.SyntheticDatasetGenerator;
import org.grievance.ssd.testing.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ssd batch predict, evaluate and retag on a local Spark of two threads, with task retries, against
 * the single-JVM paths: one class and one session, since a Spark session takes seconds to start.
 */
class BatchPredictJobTest {
  private static final List<String> CLASSES =
      List.of("pothole", "garbage", "streetlight", "waterleak", "graffiti");

  @TempDir static Path tmp;
  private static SparkSession spark;
  private static Path run;
  private static Path images;

  @BeforeAll
  static void startSpark() throws IOException {
    // local[2, 2]: two task threads, and a failed task is tried once more (local mode's default is
    // no retry at all).
    spark =
        SparkSession.builder()
            .master("local[2,2]")
            .appName("BatchPredictJobTest")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    ModelDescription description = TinyModels.ssd7(CLASSES);
    run = TinyModels.run(tmp.resolve("run"), description, 17);
    Path synth = tmp.resolve("synth");
    SyntheticDatasetGenerator.generate(
        SynthConfig.builder().splits(30, 0, 0).imageSize(96, 128).seed(3).build(),
        synth,
        SyntheticDatasetGenerator.Progress.NONE);
    images = synth.resolve("JPEGImages");
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
    ExecutorDetectors.closeAll();
  }

  private static DetectorSettings settings(double threshold, int batchSize) {
    return new DetectorSettings(threshold, null, null, null, batchSize, 1, null, 0.2);
  }

  private static BatchPredictJob.Config config(
      List<String> inputs, Path out, DetectorSettings settings, boolean parquet) {
    return new BatchPredictJob.Config(run.toString(), inputs, out.toString(), settings, parquet, 8);
  }

  /** What ssd predict --json writes for the same images and options, in one JVM. */
  private static List<ImageDetections> singleJvm(Path json, String threshold, String batchSize) {
    StringWriter err = new StringWriter();
    int code =
        SsdCli.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "predict",
            "--model",
            run.toString(),
            "--threads",
            "1",
            "--threshold",
            threshold,
            "--batch-size",
            batchSize,
            "--json",
            json.toString(),
            images.toString());
    assertThat(code).as(err.toString()).isZero();
    try {
      return DetectionWriter.read(json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void writesWhatSsdPredictWritesAndResumesWithoutDuplicates() throws IOException {
    List<ImageDetections> expected = singleJvm(tmp.resolve("single.json"), "0.2", "8");
    assertThat(expected).hasSize(30);
    assertThat(expected.stream().mapToInt(d -> d.detections().size()).sum()).isPositive();
    Path out = tmp.resolve("out-resume");
    DetectorSettings s = settings(0.2, 8);

    BatchPredictJob.Summary first =
        BatchPredictJob.run(spark, config(List.of(images.toString()), out, s, false));
    assertThat(first.predicted()).isEqualTo(30);
    assertThat(first.parts()).isEqualTo(4); // 30 images at 8 per partition
    assertThat(first.failures()).isEmpty();
    assertThat(DetectionWriter.readAny(out)).isEqualTo(expected);
    assertThat(out.resolve("_temporary-ssd")).doesNotExist();

    BatchPredictJob.Summary again =
        BatchPredictJob.run(spark, config(List.of(images.toString()), out, s, false));
    assertThat(again.skipped()).isEqualTo(30);
    assertThat(again.predicted()).isZero();

    // A lost part file (a run stopped before it committed) is made again by the next run, alone.
    Path lost = DetectionWriter.jsonLinesParts(out).get(1);
    int lostImages = (int) Files.readAllLines(lost).stream().filter(l -> !l.isBlank()).count();
    Files.delete(lost);
    BatchPredictJob.Summary resumed =
        BatchPredictJob.run(spark, config(List.of(images.toString()), out, s, false));
    assertThat(resumed.skipped()).isEqualTo(30 - lostImages);
    assertThat(resumed.predicted()).isEqualTo(lostImages);
    assertThat(sortedByImage(DetectionWriter.readAny(out))).isEqualTo(expected);
  }

  @Test
  void aFailedTaskIsRetriedWithoutDuplicateOutput() throws IOException {
    List<ImageDetections> expected = singleJvm(tmp.resolve("retry.json"), "0.3", "8");
    Path out = tmp.resolve("out-retry");
    PartitionPredictor.FAIL_NEXT_ATTEMPT_BEFORE_COMMIT.set(true);
    BatchPredictJob.Summary s =
        BatchPredictJob.run(
            spark, config(List.of(images.toString()), out, settings(0.3, 8), false));
    assertThat(PartitionPredictor.FAIL_NEXT_ATTEMPT_BEFORE_COMMIT.get())
        .as("the injected failure happened")
        .isFalse();
    assertThat(s.predicted()).isEqualTo(30);
    assertThat(DetectionWriter.readAny(out)).isEqualTo(expected);
    assertThat(out.resolve("_temporary-ssd")).doesNotExist();
  }

  @Test
  void loadsTheDetectorOncePerJvmForAllTasksAndJobs() throws IOException {
    DetectorSettings s = settings(0.25, 4); // settings no other test uses: a detector of its own
    int before = ExecutorDetectors.loads();
    BatchPredictJob.Summary first =
        BatchPredictJob.run(
            spark, config(List.of(images.toString()), tmp.resolve("out-load-1"), s, false));
    assertThat(first.parts()).isEqualTo(4); // four tasks on two threads
    assertThat(ExecutorDetectors.loads() - before).isEqualTo(1);
    BatchPredictJob.run(
        spark, config(List.of(images.toString()), tmp.resolve("out-load-2"), s, false));
    assertThat(ExecutorDetectors.loads() - before).isEqualTo(1);
  }

  @Test
  void readsListFilesAndWritesParquetThroughTheCommandLine() throws IOException {
    List<ImageDetections> all = singleJvm(tmp.resolve("list.json"), "0.2", "8");
    List<String> some = new ArrayList<>();
    try (Stream<Path> files = Files.list(images)) {
      files.sorted().limit(10).forEach(f -> some.add(f.toString()));
    }
    Path list = Files.write(tmp.resolve("images.txt"), some);
    Path out = tmp.resolve("out-list");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code =
        BatchCli.run(
            new PrintWriter(stdout, true),
            new PrintWriter(stderr, true),
            "predict",
            "--model",
            run.toString(),
            "--images",
            list.toString(),
            "--out",
            out.toString(),
            "--threshold",
            "0.2",
            "--format",
            "parquet");
    assertThat(code).as(stderr.toString()).isZero();
    assertThat(stdout.toString()).contains("10 predicted");
    assertThat(DetectionWriter.readAny(out))
        .isEqualTo(all.stream().filter(d -> some.contains(d.image())).toList());

    List<Row> rows =
        spark.read().parquet(out.resolve(BatchPredictJob.PARQUET_DIR).toString()).collectAsList();
    assertThat(rows).hasSize(10);
    long detections =
        rows.stream().mapToLong(r -> r.getList(r.fieldIndex("detections")).size()).sum();
    assertThat(detections)
        .isEqualTo(
            all.stream()
                .filter(d -> some.contains(d.image()))
                .mapToLong(d -> d.detections().size())
                .sum());
  }

  @Test
  void partitionsAreAMultipleOfTheCoresAndNeverEmpty() {
    assertThat(BatchPredictJob.partitions(2020, 1000, 2)).isEqualTo(4); // not 3 on 2 cores
    assertThat(BatchPredictJob.partitions(30, 8, 2)).isEqualTo(4);
    assertThat(BatchPredictJob.partitions(5000, 1000, 4)).isEqualTo(8);
    assertThat(BatchPredictJob.partitions(3, 1000, 8)).isEqualTo(3); // one image each at most
  }

  @Test
  void readsThroughHadoopFileSystemsWhenGivenUris() throws IOException {
    List<ImageDetections> expected = singleJvm(tmp.resolve("uri.json"), "0.2", "8");
    Path out = tmp.resolve("out-uri");
    String dir = images.toUri().toString(); // file:///..., listed and read through Hadoop
    BatchPredictJob.Summary s =
        BatchPredictJob.run(spark, config(List.of(dir), out, settings(0.2, 8), false));
    assertThat(s.failures()).isEmpty();
    List<ImageDetections> got = DetectionWriter.readAny(out);
    assertThat(got).allSatisfy(d -> assertThat(d.image()).startsWith("file:/"));
    assertThat(
            got.stream()
                .map(
                    d ->
                        new ImageDetections(
                            Path.of(java.net.URI.create(d.image())).toString(),
                            d.width(),
                            d.height(),
                            d.detections()))
                .toList())
        .isEqualTo(expected);
  }

  @Test
  void evaluatesItsOutputAsTheSingleJvmEvaluationDoes() throws Exception {
    Path data = tmp.resolve("self-labelled");
    ModelDescription description = TinyModels.ssd7(CLASSES);
    Path evalRun = tmp.resolve("eval-run");
    Path csv;
    try (Model model = TinyModels.model(description, 5)) {
      csv = TinyModels.selfLabelled(model, description, data, 12, 2);
      TinyModels.save(model, description, evalRun, CheckpointFiles.BEST);
    }
    DetectorSettings s = new DetectorSettings(0.01, 0.45, 200, "per-class", 8, 1, null, 0.2);
    var ds = DatasetLoader.load(DatasetSpec.of(csv));
    Path coco = tmp.resolve("coco.json");
    try (Detector d = Detector.load(evalRun, s.toOptions())) {
      CocoResultsJson.write(
          coco, DatasetPredictions.predict(d, ds, DatasetPredictions.Progress.NONE).rows());
    }
    Path out = tmp.resolve("out-eval");
    BatchPredictJob.run(
        spark,
        new BatchPredictJob.Config(
            evalRun.toString(), List.of(data.toString()), out.toString(), s, false, 8));

    JsonNode single = evaluate(csv, coco, tmp.resolve("single-report.json"));
    JsonNode batch = evaluate(csv, out, tmp.resolve("batch-report.json"));
    assertThat(single.get("mAP").asDouble()).isPositive();
    assertThat(batch.get("mAP").asDouble()).isEqualTo(single.get("mAP").asDouble());
    assertThat(batch.get("classes")).isEqualTo(single.get("classes"));
  }

  private static JsonNode evaluate(Path data, Path predictions, Path report) throws IOException {
    StringWriter err = new StringWriter();
    int code =
        BatchCli.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "evaluate",
            "--data",
            data.toString(),
            "--predictions",
            predictions.toString(),
            "--report",
            report.toString());
    assertThat(code).as(err.toString()).isZero();
    return new ObjectMapper().readTree(report.toFile());
  }

  @Test
  void retagsTheRegistersGrievancesWithThePromotedVersionOnceAndResumes() throws Exception {
    Path data = tmp.resolve("register-data");
    List<String> classes = List.of("pothole", "graffiti");
    Path promoted = TinyModels.run(tmp.resolve("promoted"), TinyModels.ssd7(classes), 9);
    StringWriter promoteErr = new StringWriter();
    int promote =
        SsdCli.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(promoteErr, true),
            "register",
            "promote",
            "--model",
            promoted.toString(),
            "--data",
            data.toString());
    assertThat(promote).as(promoteErr.toString()).isZero();
    RegisterConfig config = RegisterConfig.builder(tmp).dataDir(data).build();
    try (Database db = Database.open(config.effectiveJdbcUrl())) {
      PhotoStore photos = new FolderPhotoStore(config.dataDir().resolve("photos"));
      GrievanceWorkflow workflow = new GrievanceWorkflow(db, 0);
      for (int i = 0; i < 5; i++) {
        String photo = photos.put(ImageFiles.jpegBytes(TinyModels.image(60, 80, i), 0.9f));
        workflow.create(
            new NewGrievance(
                "g" + i,
                null,
                null,
                null,
                photo,
                "image/jpeg",
                photo,
                80,
                60,
                "old/best",
                "[]",
                Map.of("pothole", 0.9),
                null,
                null));
      }
    }
    int loadsBefore = ExecutorRetaggers.loads();
    String first = retag(data);
    assertThat(first).contains("5 grievances listed, 5 re-tagged, 0 skipped");
    String again = retag(data);
    assertThat(again).contains("5 grievances listed, 0 re-tagged, 5 skipped");
    assertThat(ExecutorRetaggers.loads() - loadsBefore).isEqualTo(1);
    try (Database db = Database.open(config.effectiveJdbcUrl())) {
      long version = new ModelVersions(db).latest().orElseThrow().id();
      RetagRepository store = new RetagRepository();
      for (long id : BatchRetagJob.listIds(db, null, null)) {
        assertThat(db.read(c -> store.tagged(c, id)).orElseThrow().modelVersionId())
            .isEqualTo(version);
      }
      assertThat(new ModelVersions(db).events())
          .extracting(ModelVersions.ModelEvent::event)
          .endsWith(ModelVersions.RETAG_STARTED, ModelVersions.RETAG_FINISHED);
    }
  }

  private static String retag(Path data) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        BatchCli.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "retag",
            "--data",
            data.toString());
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }

  private static List<ImageDetections> sortedByImage(List<ImageDetections> docs) {
    return docs.stream().sorted(java.util.Comparator.comparing(ImageDetections::image)).toList();
  }
}
