package org.grievance.ssd.spark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.grievance.ssd.cli.ImageInputs;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.infer.DetectionWriter;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.infer.ImageDetections;

/**
 * One task of {@code ssd batch predict}: detects the objects in one partition's images (sorted by
 * name) with the executor's shared detector ({@link ExecutorDetectors}) and commits them as one
 * JSON-lines part file, {@code part-RUN-NNNNN.jsonl}, one {@link DetectionWriter#toJsonLine} line
 * per image.
 *
 * <p><b>Commit.</b> The lines go to a file of the task attempt's own under {@code
 * _temporary-ssd/RUN/}, renamed to the part's name only once every image is written. A failed or
 * killed attempt leaves at most its temporary file (removed at the end of the job), never a partial
 * part; an attempt that finds its part already committed (a retry racing a late success, a
 * speculative copy) leaves it alone. So each image of a run is in exactly one part file.
 */
final class PartitionPredictor
    implements Function2<Integer, Iterator<String>, Iterator<PartitionPredictor.Result>> {
  private static final long serialVersionUID = 1L;

  /** Test hook: when set, the next task attempt fails once after writing its temporary file. */
  static final AtomicBoolean FAIL_NEXT_ATTEMPT_BEFORE_COMMIT = new AtomicBoolean();

  /**
   * What a committed partition did.
   *
   * @param part the part file's name
   * @param images images written
   * @param detections detections written
   * @param failures one message per image that could not be read (not written: a rerun retries it)
   */
  record Result(String part, int images, long detections, List<String> failures)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final String model;
  private final DetectorSettings settings;
  private final String out;
  private final String runId;
  private final Broadcast<Map<String, String>> hadoopConf;

  PartitionPredictor(
      String model,
      DetectorSettings settings,
      String out,
      String runId,
      Broadcast<Map<String, String>> hadoopConf) {
    this.model = model;
    this.settings = settings;
    this.out = out;
    this.runId = runId;
    this.hadoopConf = hadoopConf;
  }

  /** The part file of partition {@code index} of run {@code runId}. */
  static String partName(String runId, int index) {
    return String.format(java.util.Locale.ROOT, "part-%s-%05d%s", runId, index, ".jsonl");
  }

  /** The folder of a run's temporary files, below the output directory. */
  static String temporaryDir(String runId) {
    return "_temporary-ssd/" + runId;
  }

  @Override
  public Iterator<Result> call(Integer index, Iterator<String> images) throws Exception {
    Configuration conf = configuration();
    Path part = new Path(out, partName(runId, index));
    FileSystem fs = part.getFileSystem(conf);
    if (fs.exists(part)) {
      return List.of(new Result(part.getName(), 0, 0, List.of())).iterator();
    }
    TaskContext task = TaskContext.get();
    long attempt = task == null ? 0 : task.taskAttemptId();
    Path tmp = new Path(new Path(out, temporaryDir(runId)), part.getName() + ".attempt-" + attempt);
    Detector detector = ExecutorDetectors.get(model, settings);
    int written = 0;
    long detections = 0;
    List<String> failures = new ArrayList<>();
    try (Writer w =
        new BufferedWriter(new OutputStreamWriter(fs.create(tmp, true), StandardCharsets.UTF_8))) {
      List<String> names = new ArrayList<>();
      List<RgbImage> pixels = new ArrayList<>();
      while (images.hasNext() || !names.isEmpty()) {
        if (images.hasNext() && pixels.size() < settings.batchSize()) {
          String name = images.next();
          try {
            pixels.add(read(name, conf));
            names.add(name);
          } catch (IOException e) {
            failures.add(describe(e));
          }
          continue;
        }
        List<List<Detection>> found = detector.detect(pixels);
        for (int i = 0; i < names.size(); i++) {
          RgbImage img = pixels.get(i);
          w.write(
              DetectionWriter.toJsonLine(
                  new ImageDetections(names.get(i), img.width(), img.height(), found.get(i))));
          w.write('\n');
          written++;
          detections += found.get(i).size();
        }
        names.clear();
        pixels.clear();
      }
    }
    if (FAIL_NEXT_ATTEMPT_BEFORE_COMMIT.compareAndSet(true, false)) {
      throw new IllegalStateException("failure injected by a test before committing " + part);
    }
    if (!fs.rename(tmp, part)) {
      if (!fs.exists(part)) {
        throw new IOException("could not rename " + tmp + " to " + part);
      }
      fs.delete(tmp, false); // another attempt committed the same images first
    }
    return List.of(new Result(part.getName(), written, detections, failures)).iterator();
  }

  /**
   * Decodes image {@code name}: a local path as {@code ssd predict} reads it; a URI through its
   * Hadoop file system, by way of a local temporary copy (the decoders want a file).
   */
  static RgbImage read(String name, Configuration conf) throws IOException {
    if (!ImageNames.isUri(name)) {
      return ImageFiles.read(java.nio.file.Path.of(name));
    }
    Path src = new Path(name);
    String ext = ImageInputs.extension(java.nio.file.Path.of(src.getName()));
    java.nio.file.Path local = Files.createTempFile("ssd-batch-", ext.isEmpty() ? "" : "." + ext);
    try {
      try (InputStream in = src.getFileSystem(conf).open(src)) {
        Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      return ImageFiles.read(local);
    } catch (IOException e) {
      String why = describe(e).replace(local.toString(), name);
      throw new IOException(why.contains(name) ? why : name + ": " + why, e);
    } finally {
      Files.deleteIfExists(local);
    }
  }

  private Configuration configuration() {
    Configuration conf = new Configuration(false);
    hadoopConf.value().forEach(conf::set);
    return conf;
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
