package org.grievance.ssd.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an epoch leaves in the run directory: its row of {@code log.csv}, the loss curves, the
 * {@code last} checkpoint (parameters, state, model description) and, when the monitored loss
 * improved, the {@code best} copy of it.
 */
final class RunRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);

  /** The log file in the run directory. */
  static final String LOG_FILE = "log.csv";

  private final Path runDir;
  private final TrainingModel model;
  private final CsvLog log;

  private RunRecorder(Path runDir, TrainingModel model, CsvLog log) {
    this.runDir = runDir;
    this.model = model;
    this.log = log;
  }

  /** A recorder starting a new log. */
  static RunRecorder create(Path runDir, TrainingModel model) {
    return new RunRecorder(runDir, model, CsvLog.create(runDir.resolve(LOG_FILE)));
  }

  /** A recorder continuing the log of a run resumed after {@code epochsCompleted} epochs. */
  static RunRecorder resume(Path runDir, TrainingModel model, int epochsCompleted)
      throws IOException {
    return new RunRecorder(runDir, model, CsvLog.resume(runDir.resolve(LOG_FILE), epochsCompleted));
  }

  /** Logs the epoch, draws the curves and checkpoints the model with {@code state}. */
  void record(EpochReport report, TrainingState state, boolean improved) throws IOException {
    log.append(report);
    plotCurves();
    JsonNode description = model.description() == null ? null : model.description().get();
    Checkpoints.write(runDir, Checkpoints.LAST, model.model(), state, description);
    if (improved) {
      Checkpoints.copy(runDir, Checkpoints.LAST, Checkpoints.BEST);
    }
  }

  /** The log's rows, every epoch of the run. */
  List<EpochReport> rows() {
    return log.rows();
  }

  /** Curves are a convenience: a headless machine without fonts must not end a long run. */
  private void plotCurves() {
    try {
      CurvePlot.write(runDir, log.rows());
    } catch (IOException | RuntimeException | LinkageError | java.awt.AWTError e) {
      LOG.warn("could not draw the loss curves in {}: {}", runDir, e.toString());
    }
  }
}
