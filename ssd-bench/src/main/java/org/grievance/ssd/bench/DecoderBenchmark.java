package org.grievance.ssd.bench;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.grievance.ssd.decode.DecoderConfig;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.decode.GlobalNmsDecoder;
import org.grievance.ssd.decode.PerClassNmsDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding one SSD300 image (8732 anchors, 20 object classes + background) with the reference's
 * {@code decode_detections} settings: confidence 0.01, IoU 0.45, top-k 200. Class probabilities are
 * Dirichlet(0.3) draws (thousands of candidates per class), offsets N(0, 1), fixed seed. The
 * reference numpy implementation needs about 2.1 s for this input.
 *
 * <p>The anchors are the real SSD300 ones, built by the small local helper {@link #ssd300Anchors()}
 * (so the benchmark does not depend on the anchor package).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DecoderBenchmark {
  private static final int IMAGE = 300;
  private static final int CLASSES = 21;
  private static final double[] VARIANCES = {0.1, 0.1, 0.2, 0.2};

  private float[] scores;
  private float[] offsets;
  private PerClassNmsDecoder perClass;
  private GlobalNmsDecoder global;

  @Setup
  public void setUp() {
    double[] anchors = ssd300Anchors();
    int n = anchors.length / 4;
    Random random = new Random(42);
    scores = new float[n * CLASSES];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      double[] g = new double[CLASSES];
      for (int c = 0; c < CLASSES; c++) {
        g[c] = gamma(random, 0.3);
        sum += g[c];
      }
      for (int c = 0; c < CLASSES; c++) {
        scores[i * CLASSES + c] = (float) (g[c] / sum);
      }
    }
    offsets = new float[4 * n];
    for (int j = 0; j < offsets.length; j++) {
      offsets[j] = (float) random.nextGaussian();
    }
    DecoderConfig config =
        DecoderConfig.builder().confidenceThreshold(0.01).iouThreshold(0.45).topK(200).build();
    perClass = new PerClassNmsDecoder(anchors, VARIANCES, config);
    global = new GlobalNmsDecoder(anchors, VARIANCES, config);
  }

  @Benchmark
  public List<Detection> perClassNms() {
    return perClass.decode(scores, offsets, IMAGE, IMAGE);
  }

  @Benchmark
  public List<Detection> globalNms() {
    return global.decode(scores, offsets, IMAGE, IMAGE);
  }

  /** Gamma(shape, 1) by Marsaglia–Tsang; shapes below 1 via Gamma(shape + 1)·U^(1/shape). */
  static double gamma(Random random, double shape) {
    if (shape < 1) {
      return gamma(random, shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = random.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  /**
   * The SSD300 anchors, normalised centroids: feature maps 38, 19, 10, 5, 3, 1; scales 0.1 … 1.05;
   * aspect ratios {1, 2, 1/2} (+ 3, 1/3 on layers 2–4) with the extra ratio-1 box; steps 8, 16, 32,
   * 64, 100, 300; offset 0.5; no clipping. 8732 anchors.
   */
  static double[] ssd300Anchors() {
    int[] sizes = {38, 19, 10, 5, 3, 1};
    double[] scales = {0.1, 0.2, 0.37, 0.54, 0.71, 0.88, 1.05};
    double[] steps = {8, 16, 32, 64, 100, 300};
    double[] small = {1, 2, 0.5};
    double[] large = {1, 2, 0.5, 3, 1.0 / 3};
    double[][] ratios = {small, large, large, large, small, small};
    int total = 0;
    for (int l = 0; l < sizes.length; l++) {
      total += sizes[l] * sizes[l] * (ratios[l].length + 1);
    }
    double[] out = new double[4 * total];
    int k = 0;
    for (int l = 0; l < sizes.length; l++) {
      double s = scales[l] * IMAGE;
      double[] w = new double[ratios[l].length + 1];
      double[] h = new double[w.length];
      int b = 0;
      for (double ar : ratios[l]) {
        if (ar == 1) {
          w[b] = s;
          h[b++] = s;
          double extra = Math.sqrt(scales[l] * scales[l + 1]) * IMAGE;
          w[b] = extra;
          h[b++] = extra;
        } else {
          w[b] = s * Math.sqrt(ar);
          h[b++] = s / Math.sqrt(ar);
        }
      }
      for (int y = 0; y < sizes[l]; y++) {
        for (int x = 0; x < sizes[l]; x++) {
          for (int j = 0; j < w.length; j++) {
            out[k++] = (0.5 + x) * steps[l] / IMAGE;
            out[k++] = (0.5 + y) * steps[l] / IMAGE;
            out[k++] = w[j] / IMAGE;
            out[k++] = h[j] / IMAGE;
          }
        }
      }
    }
    return out;
  }
}
