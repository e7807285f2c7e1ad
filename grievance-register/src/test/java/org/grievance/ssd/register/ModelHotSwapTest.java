package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.grievance.ssd.register.ModelPromotion.QualityGate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promotions reach a running server through its poll and swap the model under load without failing
 * a request; the old model is closed only after its last detection.
 */
class ModelHotSwapTest {
  @TempDir Path tmp;

  private RegisterServer start(Path model) throws Exception {
    RegisterConfig config =
        RegisterConfig.builder(model)
            .port(0)
            .dataDir(tmp.resolve("data"))
            .workers(2)
            .queueCapacity(8)
            .detectTimeout(Duration.ofSeconds(60))
            .detectLimit(null)
            .submitLimit(null)
            .modelPollInterval(Duration.ofMillis(100))
            .build();
    return RegisterServer.start(config);
  }

  /** Waits (bounded) until {@code /api/model} names {@code version}. */
  private static void awaitVersion(Http http, String version) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (version.equals(http.get("/api/model").json().path("version").asText())) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the server did not switch to " + version + " within 30 s");
  }

  private static void awaitSeen(Set<String> seen, String version) throws InterruptedException {
    for (int i = 0; i < 600 && !seen.contains(version); i++) {
      Thread.sleep(50);
    }
  }

  @Test
  void promotionsSwapTheModelUnderLoadWithoutAFailedRequest() throws Exception {
    try (RegisterServer server = start(TestModels.create(tmp.resolve("first")))) {
      Http http = new Http(server.port());
      JsonNode m = http.get("/api/model").json();
      assertThat(m.get("version").asText()).isEqualTo("v1");
      assertThat(m.get("name").asText()).isEqualTo("first/best");
      // The checkpoint as promoted, not the folder it was unpacked into.
      assertThat(m.get("checkpoint").asText()).isEqualTo("best");
      assertThat(java.time.Instant.parse(m.get("checkpointDate").asText()))
          .isEqualTo(
              java.nio.file.Files.getLastModifiedTime(
                      tmp.resolve("first").resolve("best").resolve("training-state.json"))
                  .toInstant()
                  .truncatedTo(java.time.temporal.ChronoUnit.MICROS));

      ModelPromotion promotion =
          new ModelPromotion(
              server.database(), server.photos(), tmp.resolve("data").resolve("models"));
      Set<String> seen = ConcurrentHashMap.newKeySet();
      List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicInteger requests = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      byte[] photo = TestModels.jpeg(60, 80, 3);
      ExecutorService clients = Executors.newFixedThreadPool(3);
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        running.add(
            clients.submit(
                () -> {
                  Http own = new Http(server.port());
                  while (!stop.get()) {
                    try {
                      Http.Response r = own.postRaw("/api/detect", photo, "image/jpeg");
                      requests.incrementAndGet();
                      if (r.status() != 200) {
                        failures.add(r.toString());
                      } else {
                        seen.add(r.json().get("modelVersion").asText());
                      }
                    } catch (Exception e) {
                      failures.add(e.toString());
                    }
                  }
                  return null;
                }));
      }
      try {
        awaitSeen(seen, "v1");
        assertThat(
                promotion
                    .promote(
                        TestModels.create(tmp.resolve("second"), TestModels.CLASSES, 8),
                        "Ada",
                        false,
                        QualityGate.NOT_COMPARED)
                    .version()
                    .label())
            .isEqualTo("v2");
        awaitVersion(http, "v2");
        awaitSeen(seen, "v2");
        promotion.promote(
            TestModels.create(tmp.resolve("third"), TestModels.CLASSES, 9),
            "Ada",
            false,
            QualityGate.NOT_COMPARED);
        awaitVersion(http, "v3");
        awaitSeen(seen, "v3");
      } finally {
        stop.set(true);
        for (Future<?> f : running) {
          f.get();
        }
        clients.shutdown();
      }
      assertThat(failures).isEmpty();
      assertThat(seen).contains("v1", "v2", "v3");
      assertThat(requests.get()).isGreaterThan(3);
      JsonNode health = http.get("/api/health").json();
      assertThat(health.get("modelVersion").asText()).isEqualTo("v3");
      assertThat(http.get("/api/model").json().get("name").asText()).isEqualTo("third/best");

      // A grievance submitted now records the version that tagged it.
      Http.Response created =
          http.postMultipart(
              "/api/grievances",
              new Http.Multipart()
                  .field("description", "a pothole")
                  .file("photo", "p.jpg", "image/jpeg", photo));
      assertThat(created.status()).isEqualTo(201);
      long id = server.grievances().idOf(created.json().get("trackingId").asText()).orElseThrow();
      assertThat(modelVersionOf(server.database(), id)).isEqualTo(3L);
    }
  }

  private static long modelVersionOf(Database db, long id) throws Exception {
    return db.read(
        c -> {
          try (PreparedStatement q =
              c.prepareStatement("SELECT model_version_id FROM grievance WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  @Test
  void theOldModelIsClosedOnlyAfterItsLastDetection() throws Exception {
    RegisterConfig config =
        RegisterConfig.builder(TestModels.create(tmp.resolve("first")))
            .dataDir(tmp.resolve("data"))
            .workers(1)
            .build();
    try (DetectionService service = DetectionService.load(config)) {
      ServedModel old = service.hold(); // a detection in flight
      ServedModel next =
          DetectionService.open(
              config, TestModels.create(tmp.resolve("second"), TestModels.CLASSES, 8), null);
      assertThat(service.swap(next)).isSameAs(old);
      assertThat(service.model()).isSameAs(next);
      assertThat(old.isClosed()).as("still used by the detection in flight").isFalse();
      old.detector().detect(TestModels.blobs(60, 80, 1));
      old.release();
      assertThat(old.isClosed()).isTrue();
      assertThat(old.retain()).as("a closed model cannot be held again").isFalse();
      assertThat(next.isClosed()).isFalse();
    }
  }

  @Test
  void twoReplicasOnOneDatabaseBothSwitchToAPromotion() throws Exception {
    Path first = TestModels.create(tmp.resolve("first"));
    try (RegisterServer a = start(first);
        RegisterServer b = start(first)) {
      Http httpA = new Http(a.port());
      Http httpB = new Http(b.port());
      assertThat(httpA.get("/api/model").json().get("version").asText()).isEqualTo("v1");
      assertThat(httpB.get("/api/model").json().get("version").asText()).isEqualTo("v1");
      new ModelPromotion(a.database(), a.photos(), tmp.resolve("data").resolve("models"))
          .promote(
              TestModels.create(tmp.resolve("second"), TestModels.CLASSES, 8),
              "Ada",
              false,
              QualityGate.NOT_COMPARED);
      awaitVersion(httpA, "v2");
      awaitVersion(httpB, "v2");
    }
  }

  @Test
  void aRestartedServerServesTheLatestPromotedVersionNotItsModelOption() throws Exception {
    Path first = TestModels.create(tmp.resolve("first"));
    try (RegisterServer server = start(first)) {
      new ModelPromotion(server.database(), server.photos(), tmp.resolve("data").resolve("models"))
          .promote(
              TestModels.create(tmp.resolve("second"), TestModels.CLASSES, 8),
              "Ada",
              false,
              QualityGate.NOT_COMPARED);
      assertThat(server.checkForNewModel()).isTrue();
      assertThat(server.checkForNewModel()).isFalse();
    }
    try (RegisterServer server = start(first)) {
      JsonNode m = new Http(server.port()).get("/api/model").json();
      assertThat(m.get("version").asText()).isEqualTo("v2");
      assertThat(m.get("name").asText()).isEqualTo("second/best");
    }
  }
}
