package org.grievance.ssd.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The caller's side of a run: progress display, epoch listeners, the mAP evaluator and the clock
 * (replaceable so that time-budget behaviour can be tested without waiting).
 *
 * @param progress progress display
 * @param listeners called in order after each epoch
 * @param evaluator mAP after an epoch, or {@code null}
 * @param nanoTime a monotonic clock in nanoseconds
 */
public record TrainingHooks(
    ProgressListener progress,
    List<EpochListener> listeners,
    EpochEvaluator evaluator,
    LongSupplier nanoTime) {

  /** Checks and copies. */
  public TrainingHooks {
    Objects.requireNonNull(progress, "progress must not be null (use ProgressListener.NONE)");
    listeners = List.copyOf(listeners);
    Objects.requireNonNull(nanoTime, "nanoTime must not be null");
  }

  /** No display, no listeners, no evaluator, the system clock. */
  public static TrainingHooks none() {
    return builder().build();
  }

  /** A builder starting from {@link #none()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Mutable builder. */
  public static final class Builder {
    private ProgressListener progress = ProgressListener.NONE;
    private final List<EpochListener> listeners = new ArrayList<>();
    private EpochEvaluator evaluator;
    private LongSupplier nanoTime = System::nanoTime;

    private Builder() {}

    /** See {@link TrainingHooks#progress()}. */
    public Builder progress(ProgressListener value) {
      this.progress = value;
      return this;
    }

    /** Adds a listener. */
    public Builder listener(EpochListener value) {
      listeners.add(Objects.requireNonNull(value, "listener must not be null"));
      return this;
    }

    /** See {@link TrainingHooks#evaluator()}. */
    public Builder evaluator(EpochEvaluator value) {
      this.evaluator = value;
      return this;
    }

    /** See {@link TrainingHooks#nanoTime()}. */
    public Builder nanoTime(LongSupplier value) {
      this.nanoTime = value;
      return this;
    }

    /** The hooks. */
    public TrainingHooks build() {
      return new TrainingHooks(progress, listeners, evaluator, nanoTime);
    }
  }
}
