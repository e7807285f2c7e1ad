package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.register.ModelPromotion.QualityGate;
import org.grievance.ssd.register.ModelPromotion.Result;
import org.grievance.ssd.register.ModelVersions.ModelVersion;
import org.grievance.ssd.register.api.AuditEvent;
import org.grievance.ssd.register.store.NewGrievance;
import org.grievance.ssd.register.workflow.GrievanceWorkflow;
import org.grievance.ssd.register.workflow.Patch;
import org.grievance.ssd.register.workflow.Status;
import org.grievance.ssd.register.workflow.TagThresholds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model versions, promotion and re-tagging against whatever database the subclass gives; each test
 * gets a fresh one.
 */
abstract class ModelVersionsContract {
  @TempDir Path tmp;
  Database db;
  FolderPhotoStore photos;
  ModelPromotion promotion;
  RegisterConfig config;

  /** The JDBC URL of an empty database, or null for the embedded H2 under the data directory. */
  abstract String jdbcUrl(Path dataDir) throws Exception;

  @BeforeEach
  void open() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data);
    config =
        RegisterConfig.builder(tmp.resolve("model")).jdbcUrl(jdbcUrl(data)).dataDir(data).build();
    db = Database.open(config.effectiveJdbcUrl());
    photos = new FolderPhotoStore(data.resolve("photos"));
    promotion = new ModelPromotion(db, photos, config.modelsDir());
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  Path model(String name, long seed) throws Exception {
    return TestModels.create(tmp.resolve(name), TestModels.CLASSES, seed);
  }

  @Test
  void promotionsAreRecordedStoredAndAudited() throws Exception {
    ModelVersion first = promotion.servedOrFirst(model("first", 7), "ssd serve");
    assertThat(first.label()).isEqualTo("v1");
    assertThat(first.modelName()).isEqualTo("first/best");
    assertThat(first.classes()).isEqualTo(TestModels.CLASSES);
    // Asked again, the first version is served: --model is not recorded twice.
    assertThat(promotion.servedOrFirst(model("other", 8), "ssd serve")).isEqualTo(first);

    Path second = model("second", 8);
    ModelPromotion.Outcome o = promotion.promote(second, "Ada", false, QualityGate.NOT_COMPARED);
    assertThat(o.result()).isEqualTo(Result.PROMOTED);
    assertThat(o.version().label()).isEqualTo("v2");
    assertThat(o.previous()).isEqualTo(first);
    assertThat(o.version().promotedBy()).isEqualTo("Ada");
    assertThat(o.version().forced()).isFalse();
    assertThat(o.version().comparison()).contains("not compared");
    assertThat(promotion.versions().latest()).contains(o.version());

    // The archive is in the store and unpacks to a loadable model of the same classes.
    assertThat(Files.exists(photos.path(o.version().archiveSha256()))).isTrue();
    Path unpacked = promotion.checkout(o.version());
    try (Detector d = Detector.load(unpacked, DetectionService.detectorOptions(config))) {
      assertThat(d.description().classNames()).isEqualTo(TestModels.CLASSES);
    }

    List<ModelVersions.ModelEvent> events = promotion.versions().events();
    assertThat(events)
        .extracting(ModelVersions.ModelEvent::event)
        .containsExactly(ModelVersions.PROMOTED, ModelVersions.PROMOTED);
    assertThat(events.get(1).actor()).isEqualTo("Ada");
    assertThat(events.get(1).versionId()).isEqualTo(2L);
    assertThat(events.get(1).detail()).contains("second/best");

    // The same model again changes nothing.
    ModelPromotion.Outcome again =
        promotion.promote(second, "Ada", false, QualityGate.NOT_COMPARED);
    assertThat(again.result()).isEqualTo(Result.ALREADY_SERVED);
    assertThat(promotion.versions().list()).hasSize(2);
  }

  @Test
  void promotedArchivesAreNotSweptAsOrphanPhotos() throws Exception {
    ModelVersion v = promotion.servedOrFirst(model("first", 7), "ssd serve");
    OrphanPhotos.Swept swept =
        OrphanPhotos.sweep(db, photos, java.time.Instant.now().plusSeconds(60));
    assertThat(swept.files()).isZero();
    assertThat(Files.exists(photos.path(v.archiveSha256()))).isTrue();
  }

  @Test
  void aModelWithOtherClassesIsRefusedUnlessForced() throws Exception {
    promotion.servedOrFirst(model("first", 7), "ssd serve");
    Path other = TestModels.create(tmp.resolve("other"), List.of("pothole", "streetlight"), 9);

    ModelPromotion.Outcome refused =
        promotion.promote(other, "Ada", false, QualityGate.NOT_COMPARED);
    assertThat(refused.result()).isEqualTo(Result.REFUSED);
    assertThat(refused.message())
        .contains("[pothole, streetlight]", "[pothole, graffiti]", "v1", "--force");
    assertThat(promotion.versions().list()).hasSize(1);
    assertThat(promotion.versions().events())
        .extracting(ModelVersions.ModelEvent::event)
        .containsExactly(ModelVersions.PROMOTED, ModelPromotion.REFUSED_EVENT);

    ModelPromotion.Outcome forced = promotion.promote(other, "Ada", true, QualityGate.NOT_COMPARED);
    assertThat(forced.result()).isEqualTo(Result.PROMOTED);
    assertThat(forced.version().forced()).isTrue();
    assertThat(forced.version().classes()).containsExactly("pothole", "streetlight");
  }

  @Test
  void aModelTheGateFindsWorseIsRefusedUnlessForced() throws Exception {
    promotion.servedOrFirst(model("first", 7), "ssd serve");
    List<Path> compared = new ArrayList<>();
    QualityGate worse =
        (served, candidate) -> {
          compared.add(served);
          compared.add(candidate);
          return new ModelPromotion.Verdict(true, "mAP 0.40 < 0.55");
        };
    ModelPromotion.Outcome refused = promotion.promote(model("second", 8), "Ada", false, worse);
    assertThat(refused.result()).isEqualTo(Result.REFUSED);
    assertThat(refused.message()).contains("worse", "mAP 0.40 < 0.55", "--force");
    // The gate saw the served model (unpacked from the store) and the candidate.
    assertThat(Files.isRegularFile(compared.get(0).resolve("model.json"))).isTrue();
    assertThat(compared.get(1)).endsWith(Path.of("second", "best"));

    ModelPromotion.Outcome forced = promotion.promote(model("second", 8), "Ada", true, worse);
    assertThat(forced.result()).isEqualTo(Result.PROMOTED);
    assertThat(forced.version().forced()).isTrue();
    assertThat(forced.version().comparison()).isEqualTo("mAP 0.40 < 0.55");
  }

  /** Grievances tagged by v1 with real photos in the store; returns their ids. */
  List<Long> grievances(int n, long versionId) throws Exception {
    GrievanceWorkflow workflow = new GrievanceWorkflow(db, 0);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String photo = photos.put(TestModels.jpeg(60, 80, i));
      ids.add(
          workflow.create(
              new NewGrievance(
                  "grievance " + i,
                  null,
                  null,
                  null,
                  photo,
                  "image/jpeg",
                  photo,
                  80,
                  60,
                  "first/best",
                  "[]",
                  Map.of("pothole", 0.9),
                  null,
                  versionId)));
    }
    return ids;
  }

  int retagEvents(long id) throws Exception {
    return (int)
        new GrievanceWorkflow(db, 0)
            .find(id).orElseThrow().history().stream()
                .filter(e -> e.actor().equals(GrievanceRetagger.ACTOR))
                .count();
  }

  Long versionOf(long id) throws Exception {
    Object v = column(id, "model_version_id");
    return v == null ? null : ((Number) v).longValue();
  }

  Object column(long id, String name) throws Exception {
    return db.read(
        c -> {
          try (PreparedStatement q =
              c.prepareStatement("SELECT " + name + " FROM grievance WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
              rs.next();
              return rs.getObject(1);
            }
          }
        });
  }

  @Test
  void retagResumesAfterAnInterruptionAndIsIdempotent() throws Exception {
    ModelVersion v1 = promotion.servedOrFirst(model("first", 7), "ssd serve");
    List<Long> ids = grievances(5, v1.id());
    GrievanceWorkflow workflow = new GrievanceWorkflow(db, 0);
    // An official corrects the categories of the first: re-tagging keeps them.
    workflow.patch(
        ids.get(0),
        new Patch(null, List.of("graffiti"), null, null),
        "Ada",
        java.util.Set.of("pothole", "graffiti", "untagged"),
        null);
    // One grievance is resolved: a run over open ones leaves it alone.
    workflow.patch(
        ids.get(4), new Patch(Status.REJECTED, null, null, null), "Ada", java.util.Set.of(), null);
    ModelVersion v2 =
        promotion.promote(model("second", 8), "Ada", false, QualityGate.NOT_COMPARED).version();

    try (Detector detector =
        Detector.load(promotion.checkout(v2), DetectionService.detectorOptions(config))) {
      GrievanceRetagger retagger =
          new GrievanceRetagger(
              db, photos, detector, v2, TagThresholds.uniform(0.0), config.scratchDir());
      List<RetagRun.Progress> heard = new ArrayList<>();
      // Interrupted after two grievances (the limit stands for a killed process).
      RetagRun.Progress first = RetagRun.run(db, retagger, "open", null, 2, "Ada", heard::add);
      assertThat(first.finished()).isFalse();
      assertThat(first.retagged()).isEqualTo(2);
      assertThat(first.remaining()).isEqualTo(2);
      assertThat(heard).hasSize(2);
      assertThat(versionOf(ids.get(2))).isEqualTo(v1.id());

      RetagRun.Progress second = RetagRun.run(db, retagger, "open", null, 100, "Ada", heard::add);
      assertThat(second.resumed()).isTrue();
      assertThat(second.jobId()).isEqualTo(first.jobId());
      assertThat(second.finished()).isTrue();
      assertThat(second.retagged()).isEqualTo(4);
      assertThat(second.skipped()).isZero();

      for (long id : ids.subList(0, 4)) {
        assertThat(versionOf(id)).isEqualTo(v2.id());
        assertThat(retagEvents(id)).isEqualTo(1);
        // The new detections give the review queue a new priority.
        assertThat(column(id, "review_priority")).isNotNull();
      }
      assertThat(versionOf(ids.get(4))).isEqualTo(v1.id());
      assertThat(column(ids.get(4), "review_priority")).isNull();
      assertThat(retagEvents(ids.get(4))).isZero();
      // The official's categories stayed; the others carry the new model's scores.
      var kept = workflow.find(ids.get(0)).orElseThrow();
      assertThat(kept.categories()).extracting(c -> c.name()).containsExactly("graffiti");
      AuditEvent retagged =
          kept.history().stream()
              .filter(e -> e.actor().equals(GrievanceRetagger.ACTOR))
              .findFirst()
              .orElseThrow();
      assertThat(retagged.from()).isEqualTo("v1");
      assertThat(retagged.to()).isEqualTo("v2");
      assertThat(retagged.comment()).contains("kept");
      var other = workflow.find(ids.get(1)).orElseThrow();
      assertThat(other.model()).isEqualTo("second/best");
      assertThat(other.categories()).allSatisfy(c -> assertThat(c.score()).isNotNull());

      // Running it again, or re-tagging one grievance again, changes nothing.
      RetagRun.Progress third = RetagRun.run(db, retagger, "open", null, 100, "Ada", heard::add);
      assertThat(third.jobId()).isNotEqualTo(first.jobId());
      assertThat(third.retagged()).isZero();
      assertThat(third.skipped()).isEqualTo(4);
      assertThat(retagger.retag(ids.get(1))).isEqualTo(GrievanceRetagger.Outcome.UP_TO_DATE);
      assertThat(retagger.retag(999_999)).isEqualTo(GrievanceRetagger.Outcome.MISSING);
      for (long id : ids.subList(0, 4)) {
        assertThat(retagEvents(id)).isEqualTo(1);
      }
    }
    assertThat(promotion.versions().events())
        .extracting(ModelVersions.ModelEvent::event)
        .containsSubsequence(
            ModelVersions.RETAG_STARTED,
            ModelVersions.RETAG_FINISHED,
            ModelVersions.RETAG_STARTED,
            ModelVersions.RETAG_FINISHED);
  }
}
