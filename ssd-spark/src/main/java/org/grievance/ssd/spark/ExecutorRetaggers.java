package org.grievance.ssd.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.DetectionService;
import org.grievance.ssd.register.GrievanceRetagger;
import org.grievance.ssd.register.ModelPromotion;
import org.grievance.ssd.register.ModelVersions.ModelVersion;
import org.grievance.ssd.register.PhotoStore;
import org.grievance.ssd.register.RegisterConfig;
import org.grievance.ssd.register.workflow.TagThresholds;

/**
 * The register's re-taggers of one executor JVM, one per {@link RetagTarget}: the database pool,
 * the photo store and the version's detector are opened once, by the first task, and shared by
 * every task the JVM runs, as {@link ExecutorDetectors} does for prediction. They live as long as
 * the JVM.
 */
final class ExecutorRetaggers {
  private static final ConcurrentHashMap<RetagTarget, GrievanceRetagger> RETAGGERS =
      new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  private ExecutorRetaggers() {}

  static GrievanceRetagger get(RetagTarget target) {
    return RETAGGERS.computeIfAbsent(target, ExecutorRetaggers::open);
  }

  /** How many times this JVM has opened a re-tagger (tests check that it is once). */
  static int loads() {
    return LOADS.get();
  }

  private static GrievanceRetagger open(RetagTarget target) {
    LOADS.incrementAndGet();
    RegisterConfig config = target.config();
    Database db = Database.open(config.effectiveJdbcUrl(), false);
    try {
      PhotoStore photos = PhotoStore.open(config.effectivePhotos());
      ModelPromotion promotion = new ModelPromotion(db, photos, config.modelsDir());
      ModelVersion v =
          promotion
              .versions()
              .find(target.versionId())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "model version " + ModelVersion.label(target.versionId()) + " is gone"));
      Detector detector =
          Detector.load(promotion.checkout(v), DetectionService.detectorOptions(config));
      TagThresholds thresholds =
          TagThresholds.of(
              config.tagThreshold(),
              detector.options().resolve(detector.description().decoder()).classThresholds());
      return new GrievanceRetagger(db, photos, detector, v, thresholds, config.scratchDir());
    } catch (IOException e) {
      db.close();
      throw new UncheckedIOException(e);
    } catch (java.sql.SQLException | RuntimeException e) {
      db.close();
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }
}
