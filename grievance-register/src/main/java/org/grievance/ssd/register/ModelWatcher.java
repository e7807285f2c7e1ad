package org.grievance.ssd.register;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.grievance.ssd.register.ModelVersions.ModelVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks for a newly promoted model version every {@link RegisterConfig#modelPollInterval()} and
 * hot-swaps it into the {@link DetectionService}: a promotion reaches every server sharing the
 * database within one interval plus the time to load the model. A version that cannot be loaded is
 * logged (once) and tried again at each poll; the server keeps serving the model it has.
 */
final class ModelWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelWatcher.class);

  private final RegisterConfig config;
  private final ModelPromotion promotion;
  private final DetectionService detection;
  private final ScheduledExecutorService timer;
  private long failedVersion;

  ModelWatcher(RegisterConfig config, ModelPromotion promotion, DetectionService detection) {
    this.config = config;
    this.promotion = promotion;
    this.detection = detection;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "model-watcher");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts polling, unless the interval is zero. */
  void start() {
    long millis = config.modelPollInterval().toMillis();
    if (millis > 0) {
      timer.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  private void poll() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.warn("model poll failed; still serving {}", detection.info().name(), e);
    }
  }

  /** Swaps in the latest version if it is not the one served; returns whether it did. */
  synchronized boolean check() {
    long latest;
    try {
      latest = promotion.versions().latestId();
    } catch (SQLException e) {
      LOG.debug("model poll: database unreachable: {}", e.toString());
      return false;
    }
    if (latest == 0 || Objects.equals(detection.model().versionId(), latest)) {
      return false;
    }
    try {
      ModelVersion v = promotion.versions().find(latest).orElseThrow();
      ServedModel next = DetectionService.open(config, promotion.checkout(v), v);
      detection.swap(next);
      failedVersion = 0;
      return true;
    } catch (IOException | SQLException | RuntimeException e) {
      if (failedVersion != latest) {
        failedVersion = latest;
        LOG.error(
            "cannot load model version {}; still serving {}; trying again every {}",
            ModelVersion.label(latest),
            detection.info().name(),
            config.modelPollInterval(),
            e);
      }
      return false;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
