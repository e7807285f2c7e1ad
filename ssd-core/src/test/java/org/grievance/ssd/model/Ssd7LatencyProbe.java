package org.grievance.ssd.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.grievance.ssd.testing.ModelTesting;

/**
 * Not a test: prints SSD7 forward latency at 300x480 (batch 1 and 8) for the training-form model in
 * evaluation mode and for the batch-norm-folded inference form. Run with the test classpath, for
 * example {@code java -Dai.djl.pytorch.num_threads=2 -cp ...
 * org.grievance.ssd.model.Ssd7LatencyProbe}.
 */
public final class Ssd7LatencyProbe {
  private Ssd7LatencyProbe() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    System.out.println(
        "engine "
            + Engine.getInstance().getEngineName()
            + " "
            + Engine.getInstance().getVersion()
            + ", num_threads property "
            + System.getProperty("ai.djl.pytorch.num_threads", "(default)"));
    try (NDManager manager = NDManager.newBaseManager()) {
      SsdModel model = Ssd7.create(manager, Ssd7.Config.defaults(5), 300, 480);
      SsdModel folded = model.foldBatchNorm(manager);
      for (int batch : new int[] {1, 8}) {
        System.out.printf(
            "batch %d: with BN %s | folded %s%n",
            batch, time(model, batch, runs), time(folded, batch, runs));
      }
    }
  }

  private static String time(SsdModel model, int batch, int runs) {
    double[] ms = new double[runs];
    try (NDManager sub = NDManager.newBaseManager()) {
      NDArray images = sub.randomUniform(0f, 255f, new Shape(batch, 3, 300, 480));
      for (int i = -3; i < runs; i++) { // three warm-up passes
        try (NDManager pass = sub.newSubManager()) {
          NDArray in = images.duplicate();
          in.attach(pass);
          long t0 = System.nanoTime();
          ModelTesting.infer(model, in).head().toFloatArray(); // force completion
          if (i >= 0) {
            ms[i] = (System.nanoTime() - t0) / 1e6;
          }
        }
      }
    }
    Arrays.sort(ms);
    return String.format("median %.1f ms (min %.1f, max %.1f)", ms[runs / 2], ms[0], ms[runs - 1]);
  }
}
