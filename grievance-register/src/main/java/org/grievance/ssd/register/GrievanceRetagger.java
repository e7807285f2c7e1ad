package org.grievance.ssd.register;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.infer.DetectionWriter;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.register.ModelVersions.ModelVersion;
import org.grievance.ssd.register.api.Category;
import org.grievance.ssd.register.store.GrievanceRepository;
import org.grievance.ssd.register.store.RetagRepository;
import org.grievance.ssd.register.workflow.ReviewPriority;
import org.grievance.ssd.register.workflow.TagThresholds;
import org.grievance.ssd.register.workflow.Tagging;

/**
 * Re-tags one grievance with a model version: detects on its stored (clean, upright) photo, stores
 * the new annotated photo, and writes detections, model name and version, and, unless an official
 * has set them, the categories with their scores, with an audit event. The operation {@code ssd
 * register retag} runs for each grievance, and what a batch job elsewhere calls.
 *
 * <p>Idempotent: a grievance already tagged by this version, or by a newer one, is left as it is,
 * so running it twice, or after an interrupted run, changes nothing. The row is locked while it is
 * written, so an official's change at the same moment is never lost.
 */
public final class GrievanceRetagger {
  /** The actor of the audit events re-tagging writes. */
  public static final String ACTOR = "retag";

  /** What {@link #retag} did to a grievance. */
  public enum Outcome {
    /** Re-tagged with the version. */
    RETAGGED,
    /** Already tagged by this version or a newer one; unchanged. */
    UP_TO_DATE,
    /** No such grievance. */
    MISSING
  }

  private final Database db;
  private final PhotoStore photos;
  private final Detector detector;
  private final ModelVersion version;
  private final TagThresholds thresholds;
  private final Path scratch;
  private final GrievanceRepository grievances = new GrievanceRepository();
  private final RetagRepository store = new RetagRepository();

  /**
   * @param detector the loaded model of {@code version} (the caller closes it)
   * @param thresholds the scores at which detections tag (as the server's {@link TagThresholds})
   * @param scratch where a photo is copied for the decoder while it is read
   */
  public GrievanceRetagger(
      Database db,
      PhotoStore photos,
      Detector detector,
      ModelVersion version,
      TagThresholds thresholds,
      Path scratch) {
    this.db = db;
    this.photos = photos;
    this.detector = detector;
    this.version = version;
    this.thresholds = thresholds;
    this.scratch = scratch;
  }

  public ModelVersion version() {
    return version;
  }

  /** Re-tags grievance {@code id} with this version, unless it is up to date. */
  public Outcome retag(long id) throws IOException, SQLException {
    Optional<RetagRepository.Tagged> t = db.read(c -> store.tagged(c, id));
    if (t.isEmpty()) {
      return Outcome.MISSING;
    }
    if (isUpToDate(t.get())) {
      return Outcome.UP_TO_DATE;
    }
    RgbImage image = readPhoto(t.get().photoSha256());
    return write(id, image, detector.detect(image));
  }

  /**
   * Writes {@code detections}, found by this version on {@code image} (the grievance's stored
   * photo), as grievance {@code id}'s tagging; for callers that detect elsewhere.
   */
  public Outcome write(long id, RgbImage image, List<Detection> detections)
      throws IOException, SQLException {
    Map<String, Double> tags = Tagging.categories(detections, thresholds);
    String json = json(detections);
    // The annotated photo first (atomic, durable), then the row that references it.
    String annotated = photos.put(DetectionService.annotate(image, detections));
    return db.inTransaction(
        c -> {
          if (grievances.lock(c, id).isEmpty()) {
            return Outcome.MISSING;
          }
          RetagRepository.Tagged before = store.tagged(c, id).orElseThrow();
          if (isUpToDate(before)) {
            return Outcome.UP_TO_DATE;
          }
          OffsetDateTime now = GrievanceRepository.now();
          // The new detections decide how much a review would teach the new model.
          double priority = ReviewPriority.DEFAULT.of(detections, thresholds);
          store.setTagging(
              c, id, json, annotated, version.modelName(), version.id(), priority, now);
          String comment;
          if (store.categoriesSetByOfficial(c, id)) {
            comment = "categories kept (set by an official)";
          } else {
            List<String> old = new ArrayList<>();
            for (Category cat : grievances.categories(c, id)) {
              old.add(cat.name());
            }
            grievances.replaceCategories(c, id, tags);
            comment =
                "categories " + String.join(",", old) + " -> " + String.join(",", tags.keySet());
          }
          String from =
              before.modelVersionId() != null
                  ? ModelVersion.label(before.modelVersionId())
                  : before.modelName();
          grievances.audit(c, id, now, ACTOR, "model", from, version.label(), comment);
          return Outcome.RETAGGED;
        });
  }

  private boolean isUpToDate(RetagRepository.Tagged t) {
    return t.modelVersionId() != null && t.modelVersionId() >= version.id();
  }

  private RgbImage readPhoto(String sha256) throws IOException {
    Files.createDirectories(scratch);
    Path tmp = Files.createTempFile(scratch, "retag-", ".img");
    try {
      Files.write(tmp, photos.read(sha256));
      return ImageFiles.read(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String json(List<Detection> detections) {
    try {
      return ApiJson.MAPPER.writeValueAsString(DetectionWriter.detectionsJson(detections));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise detections", e);
    }
  }
}
