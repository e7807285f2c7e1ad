package org.grievance.ssd.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.anchor.AnchorGenerator;
import org.grievance.ssd.encode.EncoderConfig;
import org.grievance.ssd.encode.SsdInputEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encoding one training image for SSD300 VOC (8732 anchors, normalised, variances 0.1/0.1/0.2/0.2)
 * with 20 random ground-truth boxes, into a batch slot as the training loader does. A fixed set of
 * images is cycled so that no single image's layout dominates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EncoderBenchmark {
  private static final int IMAGES = 64;
  private static final int BOXES = 20;

  private SsdInputEncoder encoder;
  private double[][] labels;
  private int[] classes;
  private float[] offsets;
  private int next;

  @Setup
  public void setup() {
    encoder =
        new SsdInputEncoder(
            AnchorGenerator.generate(AnchorConfig.ssd300Voc()), EncoderConfig.builder(20).build());
    Random random = new Random(42);
    labels = new double[IMAGES][];
    for (int i = 0; i < IMAGES; i++) {
      double[] l = new double[5 * BOXES];
      for (int b = 0; b < BOXES; b++) {
        double w = 10 + random.nextInt(200);
        double h = 10 + random.nextInt(200);
        double x = random.nextInt((int) (300 - w));
        double y = random.nextInt((int) (300 - h));
        l[5 * b] = 1 + random.nextInt(20);
        l[5 * b + 1] = x;
        l[5 * b + 2] = y;
        l[5 * b + 3] = x + w;
        l[5 * b + 4] = y + h;
      }
      labels[i] = l;
    }
    classes = new int[encoder.anchorCount()];
    offsets = new float[4 * encoder.anchorCount()];
  }

  @Benchmark
  public int encodeInto() {
    double[] l = labels[next];
    next = (next + 1) % IMAGES;
    return encoder.encodeInto(l, classes, 0, offsets, 0);
  }
}
