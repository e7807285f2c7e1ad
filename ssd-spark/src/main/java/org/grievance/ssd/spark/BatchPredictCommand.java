package org.grievance.ssd.spark;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.grievance.ssd.cli.DecodingOptions;
import org.grievance.ssd.cli.TilingOptions;
import org.grievance.ssd.infer.Tiling;
import org.grievance.ssd.store.ModelDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ssd batch predict}: {@code ssd predict} over many images on Spark, resumable, writing the
 * same {@code ssd-detections/1} documents as JSON lines (docs/batch-on-spark.md).
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Detects objects in many images on Spark and writes one ssd-detections/1 document per image"
          + " as JSON lines into OUT/part-*.jsonl (the documents ssd predict --json writes).",
      "Each executor loads the model once. A part file appears only when its whole partition is"
          + " written; a rerun into the same OUT skips the images already there, so an interrupted"
          + " job is resumed by running it again."
    })
public final class BatchPredictCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "RUN_DIR",
      description =
          "Run directory (best/, else last/) or checkpoint directory, readable at this path on"
              + " every executor (a shared mount, or spark-submit --archives).")
  String model;

  @Option(
      names = "--images",
      required = true,
      split = ",",
      paramLabel = "IMAGES",
      description =
          "Images, directories (scanned recursively) and list files (one image per line), as"
              + " local paths or Hadoop URIs (hdfs://, s3a:// with hadoop-aws on the class path);"
              + " comma-separated or repeated.")
  List<String> images;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output directory (local path or Hadoop URI).")
  String out;

  @Option(
      names = "--format",
      defaultValue = "jsonl",
      paramLabel = "jsonl|parquet",
      description =
          "jsonl: the part files only; parquet: also a Parquet copy of all of them in"
              + " OUT/parquet/ (the JSON lines stay: they are what a rerun resumes from).")
  String format;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master (default: spark-submit's, else local[*]: every core of this machine).")
  String master;

  @Option(
      names = "--images-per-partition",
      defaultValue = "1000",
      paramLabel = "N",
      description =
          "About this many images per task and part file (default: ${DEFAULT-VALUE}; at least"
              + " one task per core).")
  int imagesPerPartition;

  @Option(
      names = "--threads",
      defaultValue = "1",
      paramLabel = "N",
      description =
          "PyTorch intra-op threads per executor JVM (default: ${DEFAULT-VALUE}: Spark already"
              + " runs one task per core; 0 keeps the engine's default).")
  int threads;

  @Mixin DecodingOptions decoding;

  @Mixin TilingOptions tilingOptions;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    boolean parquet =
        switch (format.trim().toLowerCase(java.util.Locale.ROOT)) {
          case "jsonl" -> false;
          case "parquet" -> true;
          default ->
              throw new IllegalArgumentException(
                  "--format must be jsonl or parquet, not '" + format + "'");
        };
    Tiling tiling = tilingOptions.tiling();
    DetectorSettings settings =
        new DetectorSettings(
            decoding.threshold,
            decoding.nmsIou,
            decoding.topK,
            decoding.decoder,
            decoding.batchSize,
            threads,
            tiling == null ? null : tiling.gridText(),
            tiling == null ? Tiling.DEFAULT_OVERLAP : tiling.overlap());
    BatchPredictJob.Config config =
        new BatchPredictJob.Config(model, images, out, settings, parquet, imagesPerPartition);
    SparkSession.Builder builder = SparkSession.builder().appName("ssd batch predict");
    if (master != null) {
      builder.master(master);
    } else if (System.getProperty("spark.master") == null) {
      builder.master("local[*]");
    }
    long start = System.nanoTime();
    BatchPredictJob.Summary s;
    boolean ownSession = SparkSession.getDefaultSession().isEmpty();
    SparkSession spark = builder.getOrCreate();
    try {
      stdout.printf(
          "spark %s, master %s, started in %.1f s%n",
          spark.version(), spark.sparkContext().master(), (System.nanoTime() - start) / 1e9);
      if (spark.sparkContext().isLocal()) {
        // The executors are this JVM: a wrong model path is told now, not as a failed task.
        var description = ModelDirectory.open(java.nio.file.Path.of(model)).description();
        stdout.printf(
            "model %s (%s %dx%d, classes %s)%n",
            model,
            description.architecture(),
            description.inputHeight(),
            description.inputWidth(),
            description.classNames());
      }
      if (tiling != null) {
        stdout.println("tiles: " + tiling);
      }
      start = System.nanoTime(); // the job alone: listing, model loads, detection, commits
      s = BatchPredictJob.run(spark, config);
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    s.failures().forEach(f -> stderr.println("error: " + f));
    stdout.printf(
        "run %s: %d images listed, %d already in %s, %d predicted (%d detections) into %d part"
            + " files in %.1f s%s%n",
        s.runId(),
        s.listed(),
        s.skipped(),
        out,
        s.predicted(),
        s.detections(),
        s.parts(),
        seconds,
        s.predicted() == 0
            ? ""
            : String.format(
                java.util.Locale.ROOT, " (%.0f ms/image)", 1000 * seconds / s.predicted()));
    if (parquet) {
      stdout.println("parquet: " + out + "/" + BatchPredictJob.PARQUET_DIR);
    }
    if (!s.failures().isEmpty()) {
      stderr.println(
          s.failures().size()
              + " image(s) could not be read (a rerun into the same OUT retries them)");
      return 1;
    }
    return 0;
  }
}
