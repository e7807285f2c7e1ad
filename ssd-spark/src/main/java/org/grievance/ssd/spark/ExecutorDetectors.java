package org.grievance.ssd.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.grievance.ssd.infer.Detector;

/**
 * The detectors of one executor JVM: loaded once per model and settings, lazily, by the first task
 * that needs one, and then shared by every task the JVM runs (in parallel: {@link Detector#detect}
 * is thread-safe). Loading a model (reading its weights, folding batch norm) costs far more than a
 * partition's worth of images on a small model, so a per-task load would dominate a job. The
 * detectors live as long as the JVM: an executor runs one job's tasks, and its native memory goes
 * with the process.
 */
public final class ExecutorDetectors {
  private record Key(String model, DetectorSettings settings) {}

  private static final ConcurrentHashMap<Key, Detector> DETECTORS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  private ExecutorDetectors() {}

  /**
   * The detector of {@code model} (a directory readable at this path on the executor) with {@code
   * settings}, loaded on first use.
   *
   * @throws UncheckedIOException naming the model when it cannot be loaded
   */
  public static Detector get(String model, DetectorSettings settings) {
    return DETECTORS.computeIfAbsent(new Key(model, settings), ExecutorDetectors::load);
  }

  private static Detector load(Key key) {
    LOADS.incrementAndGet();
    try {
      return Detector.load(Path.of(key.model()), key.settings().toOptions());
    } catch (IOException e) {
      throw new UncheckedIOException("model " + key.model() + ": " + e.getMessage(), e);
    }
  }

  /** How many times this JVM has loaded a model (tests check that it is once per model). */
  public static int loads() {
    return LOADS.get();
  }

  /** Closes and forgets every detector of this JVM (for a driver that runs several jobs). */
  public static void closeAll() {
    for (Key k : DETECTORS.keySet()) {
      Detector d = DETECTORS.remove(k);
      if (d != null) {
        d.close();
      }
    }
  }
}
