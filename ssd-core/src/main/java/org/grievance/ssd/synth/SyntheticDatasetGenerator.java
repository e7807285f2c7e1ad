package org.grievance.ssd.synth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.io.AtomicFiles;

/**
 * Writes a deterministic synthetic dataset in Pascal VOC layout:
 *
 * <pre>
 * JPEGImages/&lt;id&gt;.jpg      Annotations/&lt;id&gt;.xml
 * ImageSets/Main/train.txt, val.txt, test.txt, trainval.txt   (one id per line)
 * classes.txt                  (one class name per line, no background; id = line number)
 * synth.properties             (the config; marks the directory as a synth output)
 * </pre>
 *
 * Image ids are {@code <split>_<index>} (e.g. {@code train_00042}). Each image's seed derives from
 * (seed, split, index) alone, so images are rendered in parallel on all cores and the output is
 * identical whatever the thread count. Boxes follow {@link SynthObject}'s convention.
 */
public final class SyntheticDatasetGenerator {
  /** Marks (and describes) a directory this generator wrote. */
  public static final String MARKER = "synth.properties";

  private static final String[] OWNED = {
    "JPEGImages", "Annotations", "ImageSets", "classes.txt", MARKER
  };

  private SyntheticDatasetGenerator() {}

  /** Progress report: {@code done} of {@code total} images written. Calls are serialised. */
  @FunctionalInterface
  public interface Progress {
    void update(int done, int total);

    Progress NONE = (done, total) -> {};
  }

  /** The seed of one image: a mix of the master seed, the split and the index. */
  public static long imageSeed(long seed, SynthSplit split, int index) {
    return Rng.mix(Rng.mix(Rng.mix(seed) + split.ordinal() + 1) ^ (index * 0x9E3779B97F4A7C15L));
  }

  /** The id (file stem) of one image. */
  public static String imageId(SynthSplit split, int index) {
    return String.format(java.util.Locale.ROOT, "%s_%05d", split.fileName(), index);
  }

  /** Renders one image of the dataset in memory (what {@link #generate} writes for it). */
  public static SynthSample sample(SynthConfig cfg, SynthSplit split, int index) {
    return SceneRenderer.render(cfg, imageSeed(cfg.seed(), split, index));
  }

  /** Same as {@link #generate(SynthConfig, Path, boolean, Progress)} without overwrite. */
  public static SynthSummary generate(SynthConfig cfg, Path outDir, Progress progress)
      throws IOException {
    return generate(cfg, outDir, false, progress);
  }

  /**
   * Writes the dataset into {@code outDir}, which must be absent, empty, or (with {@code
   * overwrite}) a previous synth output, whose files are then replaced.
   */
  public static SynthSummary generate(
      SynthConfig cfg, Path outDir, boolean overwrite, Progress progress) throws IOException {
    prepare(outDir, overwrite);
    AtomicFiles.write(outDir.resolve(MARKER), properties(cfg, null));
    StringBuilder classes = new StringBuilder();
    for (SynthClass c : SynthClass.values()) {
      classes.append(c.label()).append('\n');
    }
    AtomicFiles.write(
        outDir.resolve("classes.txt"), classes.toString().getBytes(StandardCharsets.UTF_8));
    Path images = Files.createDirectories(outDir.resolve("JPEGImages"));
    Path annotations = Files.createDirectories(outDir.resolve("Annotations"));

    int total = cfg.totalImages();
    int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), total));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Object progressLock = new Object();
    int[] done = {0};
    List<Future<List<SynthObject>>> futures = new ArrayList<>(total);
    List<SynthSplit> splitOf = new ArrayList<>(total);
    try {
      for (SynthSplit split : SynthSplit.values()) {
        for (int i = 0; i < cfg.images(split); i++) {
          int index = i;
          splitOf.add(split);
          futures.add(
              pool.submit(
                  () -> {
                    List<SynthObject> objects = writeOne(cfg, split, index, images, annotations);
                    synchronized (progressLock) {
                      progress.update(++done[0], total);
                    }
                    return objects;
                  }));
        }
      }
      SynthSummary.Tally tally = new SynthSummary.Tally();
      for (int i = 0; i < futures.size(); i++) {
        tally.add(splitOf.get(i), await(futures.get(i)));
      }
      writeImageSets(cfg, outDir);
      SynthSummary summary = tally.summary();
      AtomicFiles.write(outDir.resolve(MARKER), properties(cfg, summary));
      return summary;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<SynthObject> writeOne(
      SynthConfig cfg, SynthSplit split, int index, Path images, Path annotations)
      throws IOException {
    String id = imageId(split, index);
    SynthSample sample = sample(cfg, split, index);
    // Per-image files skip the fsync: the marker written durably at the end records completion.
    AtomicFiles.writeBulk(
        images.resolve(id + ".jpg"), ImageFiles.jpegBytes(sample.image(), cfg.jpegQuality()));
    AtomicFiles.writeBulk(
        annotations.resolve(id + ".xml"),
        VocAnnotation.xml("synth", id, cfg.width(), cfg.height(), sample));
    return sample.objects();
  }

  private static List<SynthObject> await(Future<List<SynthObject>> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while generating the synthetic dataset", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(cause);
    }
  }

  private static void writeImageSets(SynthConfig cfg, Path outDir) throws IOException {
    Path sets = Files.createDirectories(outDir.resolve("ImageSets").resolve("Main"));
    StringBuilder trainval = new StringBuilder();
    for (SynthSplit split : SynthSplit.values()) {
      StringBuilder ids = new StringBuilder();
      for (int i = 0; i < cfg.images(split); i++) {
        ids.append(imageId(split, i)).append('\n');
      }
      if (split != SynthSplit.TEST) {
        trainval.append(ids);
      }
      AtomicFiles.write(
          sets.resolve(split.fileName() + ".txt"), ids.toString().getBytes(StandardCharsets.UTF_8));
    }
    AtomicFiles.write(
        sets.resolve("trainval.txt"), trainval.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Refuses a directory holding anything but a previous synth output; clears one on overwrite. */
  private static void prepare(Path outDir, boolean overwrite) throws IOException {
    if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
      throw new IOException("output " + outDir + " exists and is not a directory");
    }
    if (!Files.isDirectory(outDir) || isEmpty(outDir)) {
      Files.createDirectories(outDir);
      return;
    }
    if (!Files.isRegularFile(outDir.resolve(MARKER))) {
      throw new IOException(
          "output directory "
              + outDir
              + " is not empty and holds no synthetic dataset (no "
              + MARKER
              + "); choose a new or empty directory");
    }
    if (!overwrite) {
      throw new IOException(
          "output directory "
              + outDir
              + " already holds a synthetic dataset; pass overwrite (--overwrite) to replace it");
    }
    for (String name : OWNED) {
      AtomicFiles.deleteRecursively(outDir.resolve(name));
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  /** The config (and, once finished, the summary) as properties text, deterministic. */
  private static byte[] properties(SynthConfig cfg, SynthSummary summary) {
    StringBuilder s = new StringBuilder();
    s.append("# Synthetic grievance dataset (org.grievance.ssd.synth).\n");
    s.append("# Boxes: 0-based pixel corners, xmax/ymax exclusive (last pixel + 1).\n");
    s.append("status=").append(summary == null ? "incomplete" : "complete").append('\n');
    s.append("trainImages=").append(cfg.trainImages()).append('\n');
    s.append("valImages=").append(cfg.valImages()).append('\n');
    s.append("testImages=").append(cfg.testImages()).append('\n');
    s.append("height=").append(cfg.height()).append('\n');
    s.append("width=").append(cfg.width()).append('\n');
    s.append("seed=").append(cfg.seed()).append('\n');
    s.append("minObjects=").append(cfg.minObjects()).append('\n');
    s.append("maxObjects=").append(cfg.maxObjects()).append('\n');
    s.append("minObjectSize=").append(cfg.minObjectSize()).append('\n');
    s.append("maxObjectSize=").append(cfg.maxObjectSize()).append('\n');
    s.append("occlusionProbability=").append(cfg.occlusionProbability()).append('\n');
    s.append("minDistractors=").append(cfg.minDistractors()).append('\n');
    s.append("maxDistractors=").append(cfg.maxDistractors()).append('\n');
    s.append("lookAlikeFraction=").append(cfg.lookAlikeFraction()).append('\n');
    s.append("truncationProbability=").append(cfg.truncationProbability()).append('\n');
    s.append("clutterDensity=").append(cfg.clutterDensity()).append('\n');
    s.append("jpegQuality=").append(cfg.jpegQuality()).append('\n');
    if (cfg.look() != SynthLook.DAY) {
      s.append("look=").append(cfg.look().word()).append('\n');
    }
    if (summary != null) {
      s.append("objects=").append(summary.objects()).append('\n');
      for (var e : summary.objectsPerClass().entrySet()) {
        s.append("objects.").append(e.getKey().label()).append('=').append(e.getValue());
        s.append('\n');
      }
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }
}
