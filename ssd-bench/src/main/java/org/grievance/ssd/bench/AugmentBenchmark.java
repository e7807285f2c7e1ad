package org.grievance.ssd.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.grievance.ssd.augment.Background;
import org.grievance.ssd.augment.ConstantInputSizeAugmentation;
import org.grievance.ssd.augment.Labeled;
import org.grievance.ssd.augment.SsdAugmentation;
import org.grievance.ssd.augment.Transform;
import org.grievance.ssd.augment.VariableInputSizeAugmentation;
import org.grievance.ssd.image.RgbImage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one image through each augmentation chain (single thread, the loader's per-image work).
 * The image is smooth structure plus noise (so no kernel gets a constant-input shortcut) with four
 * boxes; every invocation uses the next of 64 fixed seeds, so the mix of branches that fire is the
 * same in every run and every fork. The SSD chain resizes to 300x300, the variable chain to the
 * input size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AugmentBenchmark {
  private static final int SEEDS = 64;

  @Param({"300x480", "240x320"})
  public String size;

  private Labeled sample;
  private Transform constant;
  private Transform ssd;
  private Transform variable;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    String[] hw = size.split("x");
    int h = Integer.parseInt(hw[0]);
    int w = Integer.parseInt(hw[1]);
    sample = Labeled.of(image(h, w, 42), labels(h, w));
    constant = new ConstantInputSizeAugmentation(ConstantInputSizeAugmentation.Config.defaults());
    ssd = new SsdAugmentation(new SsdAugmentation.Config(300, 300, Background.SSD_MEAN));
    variable =
        new VariableInputSizeAugmentation(VariableInputSizeAugmentation.Config.defaults(h, w));
  }

  @Setup(Level.Iteration)
  public void resetSeeds() {
    next = 0;
  }

  private SplittableRandom rng() {
    return new SplittableRandom(1000 + (next++ % SEEDS));
  }

  @Benchmark
  public Labeled constantInputSize() {
    return constant.apply(sample, rng());
  }

  @Benchmark
  public Labeled ssd() {
    return ssd.apply(sample, rng());
  }

  @Benchmark
  public Labeled variableInputSize() {
    return variable.apply(sample, rng());
  }

  static RgbImage image(int h, int w, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] px = new byte[h * w * 3];
    int i = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[i++] = (byte) (x * 255 / w + r.nextInt(-20, 21));
        px[i++] = (byte) (y * 255 / h + r.nextInt(-20, 21));
        px[i++] = (byte) (((x / 16 + y / 16) & 1) * 160 + 40 + r.nextInt(-20, 21));
      }
    }
    return new RgbImage(h, w, px);
  }

  static double[][] labels(int h, int w) {
    return new double[][] {
      {1, 0.05 * w, 0.10 * h, 0.40 * w, 0.60 * h},
      {2, 0.50 * w, 0.05 * h, 0.95 * w, 0.45 * h},
      {3, 0.30 * w, 0.50 * h, 0.70 * w, 0.95 * h},
      {1, 0.80 * w, 0.70 * h, 0.90 * w, 0.85 * h},
    };
  }
}
