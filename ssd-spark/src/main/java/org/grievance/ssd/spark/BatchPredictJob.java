package org.grievance.ssd.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.grievance.ssd.cli.ImageInputs;
import org.grievance.ssd.infer.DetectionWriter;

/**
 * {@code ssd batch predict} as a library call: lists the images, leaves out those whose detections
 * are already in the output directory, spreads the rest over range partitions of sorted names and
 * has each partition detected and committed by a {@link PartitionPredictor}; optionally copies all
 * the output into Parquet. docs/batch-on-spark.md describes the layout and the guarantees.
 */
public final class BatchPredictJob {
  /** The Parquet copy's folder below the output directory. */
  public static final String PARQUET_DIR = "parquet";

  /**
   * One job.
   *
   * @param model the model directory, readable at this path on every executor
   * @param inputs images, directories (scanned recursively) and list files (one image per line),
   *     each a local path or a Hadoop URI ({@code s3a://}, {@code hdfs://}, {@code file:})
   * @param out output directory (local path or Hadoop URI)
   * @param settings the detector options
   * @param parquet also write every output line into {@code OUT/parquet/}
   * @param imagesPerPartition at most about this many images per task (and part file)
   */
  public record Config(
      String model,
      List<String> inputs,
      String out,
      DetectorSettings settings,
      boolean parquet,
      int imagesPerPartition) {
    public Config {
      Objects.requireNonNull(model, "model");
      inputs = List.copyOf(inputs);
      if (inputs.isEmpty()) {
        throw new IllegalArgumentException("no images: name images, directories or list files");
      }
      Objects.requireNonNull(out, "out");
      Objects.requireNonNull(settings, "settings");
      if (imagesPerPartition < 1) {
        throw new IllegalArgumentException(
            "images per partition must be at least 1, got " + imagesPerPartition);
      }
    }
  }

  /**
   * What a job did.
   *
   * @param runId the run's id, in its part files' names
   * @param listed distinct images named by the inputs
   * @param skipped of those, images already in the output (an earlier run's)
   * @param predicted images detected and written by this run
   * @param detections detections written by this run
   * @param failures one message per image that could not be read
   * @param parts part files this run committed
   */
  public record Summary(
      String runId,
      long listed,
      long skipped,
      long predicted,
      long detections,
      List<String> failures,
      int parts) {}

  private BatchPredictJob() {}

  /** Runs {@code config} on {@code spark}. */
  public static Summary run(SparkSession spark, Config config) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Dataset<String> listed = list(spark, config, conf).distinct().cache();
    try {
      long listedCount = listed.count();
      Dataset<String> done = finishedImages(spark, config.out(), conf);
      Dataset<String> todo = done == null ? listed : listed.except(done);
      long todoCount = done == null ? listedCount : todo.count();
      String runId = newRunId();
      List<PartitionPredictor.Result> results = List.of();
      if (todoCount > 0) {
        int partitions =
            partitions(
                todoCount, config.imagesPerPartition(), spark.sparkContext().defaultParallelism());
        Broadcast<Map<String, String>> shippedConf =
            JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(entries(conf));
        results =
            todo.repartitionByRange(partitions, functions.col("value"))
                .sortWithinPartitions("value")
                .javaRDD()
                .mapPartitionsWithIndex(
                    new PartitionPredictor(
                        config.model(), config.settings(), config.out(), runId, shippedConf),
                    false)
                .collect();
        Path tmp = new Path(config.out(), PartitionPredictor.temporaryDir(runId));
        tmp.getFileSystem(conf).delete(tmp, true);
        Path tmpParent = tmp.getParent();
        FileSystem fs = tmpParent.getFileSystem(conf);
        FileStatus[] left = fs.exists(tmpParent) ? fs.listStatus(tmpParent) : new FileStatus[0];
        if (left.length == 0 && fs.exists(tmpParent)) {
          fs.delete(tmpParent, false);
        }
      }
      if (config.parquet()) {
        writeParquet(spark, config.out(), conf);
      }
      List<String> failures = new ArrayList<>();
      long predicted = 0;
      long detections = 0;
      for (PartitionPredictor.Result r : results) {
        predicted += r.images();
        detections += r.detections();
        failures.addAll(r.failures());
      }
      return new Summary(
          runId,
          listedCount,
          listedCount - todoCount,
          predicted,
          detections,
          failures,
          results.size());
    } finally {
      listed.unpersist();
    }
  }

  /**
   * How many partitions {@code images} images get: about {@code imagesPerPartition} each, and a
   * multiple of the cores ({@code parallelism}), so that the last wave of tasks keeps every core
   * busy (three equal tasks on two cores would leave one idle for a third of the job); never more
   * than one per image.
   */
  static int partitions(long images, int imagesPerPartition, int parallelism) {
    long wanted = Math.max(1, (images + imagesPerPartition - 1) / imagesPerPartition);
    long cores = Math.max(1, parallelism);
    long rounded = (wanted + cores - 1) / cores * cores;
    return (int) Math.min(images, rounded);
  }

  /** The images the inputs name (duplicates possible), as {@link ImageNames} names them. */
  static Dataset<String> list(SparkSession spark, Config config, Configuration conf)
      throws IOException {
    List<String> names = new ArrayList<>();
    Dataset<String> fromListFiles = null;
    java.nio.file.Path localOut =
        ImageNames.isUri(config.out()) ? null : java.nio.file.Path.of(config.out());
    for (String input : config.inputs()) {
      Dataset<String> listFile = null;
      if (!ImageNames.isUri(input)) {
        java.nio.file.Path p = java.nio.file.Path.of(input);
        if (Files.isRegularFile(p) && !ImageInputs.hasImageExtension(p)) {
          listFile = listFileLines(spark, p.toAbsolutePath().toUri().toString());
        } else {
          for (ImageInputs.Input in : ImageInputs.collect(List.of(p), localOut)) {
            names.add(in.file().toString());
          }
        }
      } else {
        Path p = new Path(input);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus status = fs.getFileStatus(p);
        if (status.isDirectory()) {
          List<String> found = new ArrayList<>();
          RemoteIterator<LocatedFileStatus> files = fs.listFiles(p, true);
          while (files.hasNext()) {
            Path f = files.next().getPath();
            if (ImageInputs.hasImageExtension(java.nio.file.Path.of(f.getName()))) {
              found.add(f.toString());
            }
          }
          found.sort(null);
          names.addAll(found);
        } else if (ImageInputs.hasImageExtension(java.nio.file.Path.of(p.getName()))) {
          names.add(input);
        } else {
          listFile = listFileLines(spark, input);
        }
      }
      if (listFile != null) {
        fromListFiles = fromListFiles == null ? listFile : fromListFiles.union(listFile);
      }
    }
    Dataset<String> listed = spark.createDataset(names, Encoders.STRING());
    return fromListFiles == null ? listed : listed.union(fromListFiles);
  }

  /** A list file's images: one local path or URI per line; blank lines and # comments skipped. */
  private static Dataset<String> listFileLines(SparkSession spark, String uri) {
    return spark
        .read()
        .textFile(uri)
        .map(
            (org.apache.spark.api.java.function.MapFunction<String, String>) String::strip,
            Encoders.STRING())
        .filter(
            (org.apache.spark.api.java.function.FilterFunction<String>)
                s -> !s.isEmpty() && !s.startsWith("#"));
  }

  /** The images already in {@code out}'s part files, or {@code null} when there are none. */
  static Dataset<String> finishedImages(SparkSession spark, String out, Configuration conf)
      throws IOException {
    String[] parts = partFiles(out, conf);
    if (parts.length == 0) {
      return null;
    }
    return spark
        .read()
        .textFile(parts)
        .mapPartitions(
            (MapPartitionsFunction<String, String>)
                lines -> {
                  List<String> images = new ArrayList<>();
                  while (lines.hasNext()) {
                    String line = lines.next();
                    if (!line.isBlank()) {
                      String image = DetectionWriter.imageOf(line);
                      if (image == null) {
                        throw new IOException(
                            "a line in "
                                + out
                                + " has no image: "
                                + line.substring(0, Math.min(60, line.length())));
                      }
                      images.add(image);
                    }
                  }
                  Iterator<String> it = images.iterator();
                  return it;
                },
            Encoders.STRING());
  }

  /** The committed part files directly in {@code out}, as URIs. */
  static String[] partFiles(String out, Configuration conf) throws IOException {
    Path dir = new Path(out);
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.exists(dir)) {
      return new String[0];
    }
    List<String> parts = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir)) {
      String n = s.getPath().getName();
      if (s.isFile() && n.startsWith("part-") && n.endsWith(DetectionWriter.JSON_LINES_SUFFIX)) {
        parts.add(s.getPath().toString());
      }
    }
    parts.sort(null);
    return parts.toArray(String[]::new);
  }

  /** Copies every output line into {@code OUT/parquet/}, replacing an earlier copy. */
  static void writeParquet(SparkSession spark, String out, Configuration conf) throws IOException {
    String[] parts = partFiles(out, conf);
    if (parts.length == 0) {
      return;
    }
    spark
        .read()
        .schema(documentSchema())
        .json(parts)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(new Path(out, PARQUET_DIR).toString());
  }

  /** The columns of an {@code ssd-detections/1} document (docs/detection-json.md). */
  public static StructType documentSchema() {
    StructType box =
        new StructType()
            .add("xmin", DataTypes.DoubleType, false)
            .add("ymin", DataTypes.DoubleType, false)
            .add("xmax", DataTypes.DoubleType, false)
            .add("ymax", DataTypes.DoubleType, false);
    StructType detection =
        new StructType()
            .add("classId", DataTypes.IntegerType, false)
            .add("class", DataTypes.StringType, false)
            .add("score", DataTypes.DoubleType, false)
            .add("box", box, false);
    return new StructType()
        .add("schema", DataTypes.StringType, false)
        .add("image", DataTypes.StringType, true)
        .add("imageWidth", DataTypes.IntegerType, false)
        .add("imageHeight", DataTypes.IntegerType, false)
        .add("detections", DataTypes.createArrayType(detection, false), false);
  }

  private static Map<String, String> entries(Configuration conf) {
    Map<String, String> m = new HashMap<>();
    conf.forEach(e -> m.put(e.getKey(), e.getValue()));
    return m;
  }

  /** A run id that sorts by start time: {@code 20261206T193650Z-1a2b3c}. */
  private static String newRunId() {
    byte[] r = new byte[3];
    new SecureRandom().nextBytes(r);
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .format(ZonedDateTime.now(ZoneOffset.UTC))
        + "-"
        + HexFormat.of().formatHex(r);
  }
}
