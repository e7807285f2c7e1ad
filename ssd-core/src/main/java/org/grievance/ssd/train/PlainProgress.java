package org.grievance.ssd.train;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Progress as plain text lines: one every {@code intervalSeconds} during an epoch (and for its
 * first and last batch), and one per finished epoch. Used when output is not a terminal.
 */
public final class PlainProgress implements ProgressListener {
  private final Consumer<String> out;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private long lastLine = Long.MIN_VALUE;
  private int maxEpochs;

  /** Lines to {@code out} at most every {@code intervalSeconds} (wall clock). */
  public PlainProgress(Consumer<String> out, double intervalSeconds) {
    this(out, intervalSeconds, System::nanoTime);
  }

  /** With an explicit clock, for tests. */
  public PlainProgress(Consumer<String> out, double intervalSeconds, LongSupplier nanoTime) {
    if (!(intervalSeconds >= 0)) {
      throw new IllegalArgumentException("intervalSeconds must be >= 0, got " + intervalSeconds);
    }
    this.out = out;
    this.intervalNanos = (long) (intervalSeconds * 1e9);
    this.nanoTime = nanoTime;
  }

  @Override
  public void onStart(TrainingPlan plan) {
    maxEpochs = plan.maxEpochs();
    out.accept(
        String.format(
            Locale.ROOT,
            "%s training: %s epochs, %d batches per epoch, %s, from epoch %d (step %d)",
            plan.resumed() ? "resuming" : "starting",
            plan.maxEpochs() == 0 ? "no limit on" : Integer.toString(plan.maxEpochs()),
            plan.batchesPerEpoch(),
            plan.minutes() == 0 ? "no time budget" : plan.minutes() + " min budget",
            plan.epochsCompleted() + 1,
            plan.globalStep()));
  }

  @Override
  public void onBatch(BatchProgress p) {
    long now = nanoTime.getAsLong();
    boolean due =
        p.batch() == 1
            || p.batch() == p.batchesPerEpoch()
            || lastLine == Long.MIN_VALUE
            || now - lastLine >= intervalNanos;
    if (!due) {
      return;
    }
    lastLine = now;
    out.accept(
        String.format(
            Locale.ROOT,
            "epoch %s  batch %d/%d  step %s  loss %.4f  lr %.3g  %.1f img/s  ETA %s",
            epochText(p.epoch()),
            p.batch(),
            p.batchesPerEpoch(),
            p.horizon() == Long.MAX_VALUE
                ? Long.toString(p.globalStep())
                : p.globalStep() + "/" + p.horizon(),
            p.loss(),
            p.learningRate(),
            p.imagesPerSecond(),
            duration(p.etaSeconds())));
  }

  @Override
  public void onValidation(int epoch, int batches) {
    out.accept(
        String.format(Locale.ROOT, "epoch %s  validating (%d batches)", epochText(epoch), batches));
  }

  @Override
  public void onEpochEnd(EpochReport r) {
    out.accept(
        String.format(
            Locale.ROOT,
            "epoch %s done  loss %.4f (class %.4f, loc %.4f)  val_loss %s  mAP %s  lr %.3g"
                + "  %.1f img/s  %s  RSS %.0f MB",
            epochText(r.epoch()),
            r.trainLoss(),
            r.trainClassLoss(),
            r.trainLocLoss(),
            Double.isNaN(r.valLoss()) ? "-" : String.format(Locale.ROOT, "%.4f", r.valLoss()),
            Double.isNaN(r.valMap()) ? "-" : String.format(Locale.ROOT, "%.4f", r.valMap()),
            r.learningRate(),
            r.imagesPerSecond(),
            duration(r.seconds()),
            r.rssMb()));
  }

  @Override
  public void onEnd(TrainingResult result) {
    out.accept(
        String.format(
            Locale.ROOT,
            "training ended (%s) after epoch %d, step %d: best %s %.4f at epoch %d, %s",
            result.reason(),
            result.epochsCompleted(),
            result.globalStep(),
            result.monitor(),
            result.bestMetric(),
            result.bestEpoch(),
            duration(result.elapsedSeconds())));
  }

  private String epochText(int epoch) {
    return maxEpochs == 0 ? Integer.toString(epoch) : epoch + "/" + maxEpochs;
  }

  /** {@code h:mm:ss}, or {@code ?} if unknown. */
  static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "?";
    }
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
