package org.grievance.ssd.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.grievance.ssd.train.EpochReport;
import org.grievance.ssd.train.PlainProgress;
import org.grievance.ssd.train.ProgressListener;
import org.grievance.ssd.train.TrainingResult;

/**
 * Training progress as a terminal progress bar per epoch (loss, learning rate, images/s and the
 * bar's ETA); the epoch summaries and the final line are the same as {@link PlainProgress}'s.
 */
final class ProgressBarListener implements ProgressListener {
  private final PlainProgress lines;
  private final PrintStream out;
  private ProgressBar bar;
  private int barEpoch = -1;
  private int maxEpochs;

  private ProgressBarListener(PrintStream out) {
    this.out = out;
    this.lines = new PlainProgress(out::println, Double.MAX_VALUE);
  }

  /** A progress bar when standard output is a terminal, else plain lines every 10 s. */
  static ProgressListener forConsole() {
    if (System.console() != null) {
      return new ProgressBarListener(System.out);
    }
    return new PlainProgress(System.out::println, 10);
  }

  @Override
  public void onStart(TrainingPlan plan) {
    maxEpochs = plan.maxEpochs();
    lines.onStart(plan);
  }

  @Override
  public void onBatch(BatchProgress p) {
    if (bar == null || barEpoch != p.epoch()) {
      closeBar();
      barEpoch = p.epoch();
      bar =
          new ProgressBarBuilder()
              .setTaskName("epoch " + (maxEpochs == 0 ? p.epoch() : p.epoch() + "/" + maxEpochs))
              .setInitialMax(p.batchesPerEpoch())
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out))
              .setUpdateIntervalMillis(500)
              .build();
    }
    bar.stepTo(p.batch());
    bar.setExtraMessage(
        String.format(
            Locale.ROOT,
            " loss %.4f lr %.2g %.1f img/s",
            p.loss(),
            p.learningRate(),
            p.imagesPerSecond()));
  }

  @Override
  public void onValidation(int epoch, int batches) {
    closeBar();
    lines.onValidation(epoch, batches);
  }

  @Override
  public void onEpochEnd(EpochReport report) {
    closeBar();
    lines.onEpochEnd(report);
  }

  @Override
  public void onEnd(TrainingResult result) {
    closeBar();
    lines.onEnd(result);
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
