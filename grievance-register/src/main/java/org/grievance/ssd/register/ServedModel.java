package org.grievance.ssd.register;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.grievance.ssd.infer.Detector;

/**
 * One loaded model of the {@link DetectionService} and how many holders it has: the service itself
 * while it is the current model, and each detection running on it. It is closed (its predictors and
 * their native memory freed) when the last holder lets go, so a detection that started before a hot
 * swap finishes on the model it started with. After closing, {@link #info()} and {@link
 * #classThresholds()} stay readable; only {@link #detector()} is gone.
 */
public final class ServedModel {
  private final Detector detector;
  private final DetectionService.ModelInfo info;
  private final Map<String, Double> classThresholds;
  private final AtomicInteger holders = new AtomicInteger(1);

  ServedModel(Detector detector, DetectionService.ModelInfo info) {
    this.detector = detector;
    this.info = info;
    this.classThresholds =
        Map.copyOf(detector.options().resolve(detector.description().decoder()).classThresholds());
  }

  /** The model as {@code GET /api/model} describes it, its version included. */
  public DetectionService.ModelInfo info() {
    return info;
  }

  /** The version id, or null for a model served without a version (tests, benchmarks). */
  public Long versionId() {
    return info.versionId();
  }

  /** The model's per-class confidence thresholds (empty: none). */
  public Map<String, Double> classThresholds() {
    return classThresholds;
  }

  /** The detector; only while held. */
  Detector detector() {
    return detector;
  }

  /**
   * Adds a holder unless the model was already closed (its count reached zero); a caller that gets
   * false reads the service's current model again.
   */
  boolean retain() {
    for (int n = holders.get(); n > 0; n = holders.get()) {
      if (holders.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Drops a holder; the last one closes the detector. */
  void release() {
    int left = holders.decrementAndGet();
    if (left == 0) {
      detector.close();
    } else if (left < 0) {
      throw new IllegalStateException("model " + info.name() + " released more often than held");
    }
  }

  /** Whether the last holder has let go and the native memory is freed. */
  boolean isClosed() {
    return holders.get() == 0;
  }
}
