package org.grievance.ssd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.anchor.AnchorGenerator;
import org.grievance.ssd.augment.BoxFilter;
import org.grievance.ssd.augment.ConstantInputSizeAugmentation;
import org.grievance.ssd.augment.Labeled;
import org.grievance.ssd.augment.Resize;
import org.grievance.ssd.augment.Transform;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.DatasetLoader;
import org.grievance.ssd.data.DatasetSpec;
import org.grievance.ssd.data.ObjectBox;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.encode.EncoderConfig;
import org.grievance.ssd.encode.SsdInputEncoder;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.synth.SynthConfig;
import org.grievance.ssd.synth.SyntheticDatasetGenerator;
import org.grievance.ssd.train.Batch;
import org.grievance.ssd.train.loader.DetectionBatchSource;
import org.grievance.ssd.train.loader.LoaderConfig;

/**
 * Images per second that {@link DetectionBatchSource} delivers in the quickstart setting (synthetic
 * quickstart images at 240x320, SSD7 anchors, 5 classes, the constant-input-size augmentation
 * chain), with and without the decoded-image cache, plus a single-threaded breakdown of the time
 * per image by stage (decode, resize, augment, filter + encode, planar copy). A plain main (not
 * JMH): the quantity is a pipeline's throughput over whole epochs. Images per CPU-second (process
 * CPU time, garbage collection included) is printed too: on a shared machine it says what the
 * loader costs when the wall-clock rate mostly says how busy the neighbours are.
 *
 * <pre>
 * java -cp ssd-bench/target/benchmarks.jar org.grievance.ssd.bench.LoaderBenchmark \
 *     [images=64] [epochs=4] [workers=2] [batch=16]
 * </pre>
 */
public final class LoaderBenchmark {
  private static final int H = 240;
  private static final int W = 320;

  private LoaderBenchmark() {}

  public static void main(String[] args) throws IOException {
    int images = arg(args, 0, 64);
    int epochs = arg(args, 1, 4);
    int workers = arg(args, 2, 2);
    int batch = arg(args, 3, 16);
    Path dir = Files.createTempDirectory("loader-bench");
    try {
      SyntheticDatasetGenerator.generate(
          SynthConfig.quickstart().toBuilder().splits(images, 0, 0).imageSize(H, W).build(),
          dir,
          (done, total) -> {});
      Dataset data = DatasetLoader.load(DatasetSpec.of(dir, "train"));
      SsdInputEncoder encoder =
          new SsdInputEncoder(
              AnchorGenerator.generate(AnchorConfig.ssd7(H, W)), EncoderConfig.builder(5).build());
      Transform augment =
          new ConstantInputSizeAugmentation(ConstantInputSizeAugmentation.Config.defaults());
      System.out.printf(
          Locale.ROOT,
          "%d synthetic quickstart images %dx%d, %d anchors, batch %d, %d cores available%n",
          data.size(),
          H,
          W,
          encoder.anchorCount(),
          batch,
          Runtime.getRuntime().availableProcessors());
      stages(data.samples(), encoder, augment);
      for (int w : workers == 1 ? new int[] {1} : new int[] {1, workers}) {
        for (boolean cache : new boolean[] {false, true}) {
          LoaderConfig config =
              LoaderConfig.builder(data, encoder)
                  .batchSize(batch)
                  .workers(w)
                  .prefetch(3)
                  .augmentation(augment)
                  .cacheDecodedImages(cache)
                  .build();
          throughput(config, epochs);
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static int arg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }

  private static void throughput(LoaderConfig config, int epochs) {
    try (DetectionBatchSource source = new DetectionBatchSource(config)) {
      drain(source, 0); // warm-up, and fills the cache
      long cpuStart = processCpuNanos();
      long start = System.nanoTime();
      long delivered = 0;
      for (int e = 1; e <= epochs; e++) {
        delivered += drain(source, e);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "loader: %d workers, cache %-5s  %7.1f images/s wall (%d images in %.2f s),"
              + " %7.1f images per CPU-second%n",
          config.workers(),
          source.cachesImages(),
          delivered / seconds,
          delivered,
          seconds,
          delivered / cpuSeconds);
    }
  }

  /** CPU time of the whole process: robust to other processes sharing the cores. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long drain(DetectionBatchSource source, long seed) {
    long images = 0;
    double checksum = 0;
    Iterator<Batch> it = source.epoch(seed);
    while (it.hasNext()) {
      Batch b = it.next();
      images += b.size();
      checksum += b.images()[0] + b.classIds()[b.classIds().length - 1];
    }
    if (Double.isNaN(checksum)) {
      throw new AssertionError("unreachable");
    }
    return images;
  }

  /** Single-threaded milliseconds per image of each stage, best of three passes. */
  private static void stages(List<Sample> samples, SsdInputEncoder encoder, Transform augment)
      throws IOException {
    Resize resize = new Resize(H, W);
    BoxFilter filter = LoaderConfig.defaultBoxFilter();
    int anchors = encoder.anchorCount();
    int[] classes = new int[anchors];
    float[] offsets = new float[4 * anchors];
    float[] planar = new float[3 * H * W];
    double[] best = {
      Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE
    };
    for (int pass = 0; pass < 4; pass++) {
      long[] ns = new long[5];
      for (int i = 0; i < samples.size(); i++) {
        Sample s = samples.get(i);
        long t0 = System.nanoTime();
        RgbImage image = ImageFiles.read(s.imagePath());
        long t1 = System.nanoTime();
        Labeled l = resize.apply(Labeled.of(image, labels(s)), null);
        long t2 = System.nanoTime();
        Labeled a = augment.apply(l, new SplittableRandom(31L * pass + i));
        long t3 = System.nanoTime();
        double[][] kept = filter.filter(a.labels(), H, W);
        double[] flat = new double[kept.length * 5];
        for (int k = 0; k < kept.length; k++) {
          System.arraycopy(kept[k], 0, flat, 5 * k, 5);
        }
        encoder.encodeInto(flat, classes, 0, offsets, 0);
        long t4 = System.nanoTime();
        toPlanar(a.image().data(), planar);
        long t5 = System.nanoTime();
        ns[0] += t1 - t0;
        ns[1] += t2 - t1;
        ns[2] += t3 - t2;
        ns[3] += t4 - t3;
        ns[4] += t5 - t4;
      }
      for (int k = 0; k < 5; k++) {
        best[k] = Math.min(best[k], ns[k] / 1e6 / samples.size());
      }
    }
    double total = 0;
    for (double b : best) {
      total += b;
    }
    String[] names = {"decode", "resize", "augment", "filter+encode", "planar copy"};
    System.out.println("single-threaded ms per image (best of 4 passes):");
    for (int k = 0; k < 5; k++) {
      System.out.printf(
          Locale.ROOT, "  %-14s %7.3f ms (%4.1f %%)%n", names[k], best[k], 100 * best[k] / total);
    }
    System.out.printf(
        Locale.ROOT, "  %-14s %7.3f ms = %.1f images/s per core%n", "total", total, 1000 / total);
  }

  private static double[][] labels(Sample s) {
    double[][] rows = new double[s.objects().size()][];
    for (int i = 0; i < rows.length; i++) {
      ObjectBox o = s.objects().get(i);
      rows[i] = new double[] {o.classId(), o.xmin(), o.ymin(), o.xmax(), o.ymax()};
    }
    return rows;
  }

  private static void toPlanar(byte[] hwc, float[] out) {
    int plane = hwc.length / 3;
    for (int p = 0, i = 0; p < plane; p++, i += 3) {
      out[p] = hwc[i] & 0xFF;
      out[plane + p] = hwc[i + 1] & 0xFF;
      out[2 * plane + p] = hwc[i + 2] & 0xFF;
    }
  }
}
