package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.testing.ServerProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the server process with SIGKILL while clients are submitting grievances, restarts it on the
 * same data directory, and checks that every acknowledged (201) grievance is there with its photo
 * (the clean copy of the upload), and that nothing in the register is half-written: every row's
 * photo files exist and hold the bytes their names promise, every grievance has its categories and
 * first audit event, and no temporary copy of an upload survives. Before the restart the photos are
 * aged past the orphan sweep's threshold and litter is planted: after it, every old photo file is
 * referenced by a grievance, no temporary file is left, and ImageIO wrote no cache files.
 */
class CrashTest {
  @TempDir Path tmp;

  record Acked(String trackingId, String description, String photoSha) {}

  static final class Child implements AutoCloseable {
    final Process process;
    final int port;

    Child(Path model, Path data) throws IOException {
      String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Path javaTmp = Files.createDirectories(data.resolveSibling("java-tmp"));
      ProcessBuilder pb =
          new ProcessBuilder(
              javaBin,
              "-Dai.djl.offline=true",
              "-Djava.awt.headless=true",
              "-Djava.io.tmpdir=" + javaTmp,
              "-cp",
              System.getProperty("java.class.path"),
              CrashTestServer.class.getName(),
              model.toString(),
              data.toString());
      pb.redirectErrorStream(true);
      process = pb.start();
      port = ServerProcesses.awaitPort(process);
    }

    /** SIGKILL on Unix: no shutdown hooks, no flushing, no closing. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  /** The SHA-256 of the copy the register stores of a JPEG upload. */
  String storedSha(byte[] upload) throws IOException {
    Path f = Files.createTempFile(tmp, "expected-", ".jpg");
    try {
      Files.write(f, upload);
      return PhotoStore.sha256(
          CleanPhoto.of(ImageFiles.read(f), org.grievance.ssd.image.ImageFormat.JPEG).bytes());
    } finally {
      Files.delete(f);
    }
  }

  @Test
  void killedMidSubmissionLosesNoAcknowledgedGrievanceAndLeavesNothingHalfWritten()
      throws Exception {
    Path model = TestModels.create(tmp.resolve("run"));
    Path data = tmp.resolve("data");
    Map<String, Acked> acked = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    try (Child first = new Child(model, data)) {
      Http http = new Http(first.port);
      List<Thread> clients = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int client = t;
        Thread th =
            new Thread(
                () -> {
                  for (int n = 0; !stop.get(); n++) {
                    try {
                      byte[] photo = TestModels.jpeg(60 + n % 7, 80, client * 10_000L + n);
                      String description = "crash " + client + "/" + n;
                      Http.Response r =
                          http.postMultipart(
                              "/api/grievances",
                              new Http.Multipart()
                                  .file("photo", "p.jpg", "image/jpeg", photo)
                                  .field("description", description)
                                  .field("latitude", "48.85")
                                  .field("longitude", "2.35"));
                      if (r.status() == 201) {
                        String id = r.json().get("trackingId").asText();
                        acked.put(id, new Acked(id, description, storedSha(photo)));
                      }
                    } catch (IOException e) {
                      return; // the server is gone
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                  }
                });
        clients.add(th);
        th.start();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (acked.size() < 25 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      first.kill(); // requests are in flight on every client thread
      stop.set(true);
      for (Thread th : clients) {
        th.join();
      }
    }
    assertThat(acked).hasSizeGreaterThanOrEqualTo(25);

    // Age every photo beyond the orphan sweep's threshold, as if the restart came much later, and
    // leave the kind of litter a crash leaves: an unreferenced photo (a failed insert) and a
    // temporary file, both old; and an unreferenced photo too recent to be swept (it could be a
    // request in flight in another replica).
    FolderPhotoStore photos = new FolderPhotoStore(data.resolve("photos"));
    String oldOrphan = photos.put(TestModels.jpeg(40, 40, 999_001));
    String recentOrphan = photos.put(TestModels.jpeg(40, 40, 999_002));
    Path staleTemp = photos.path(oldOrphan).resolveSibling("." + oldOrphan + ".123.tmp");
    Files.write(staleTemp, new byte[] {1, 2, 3});
    FileTime longAgo = FileTime.from(Instant.now().minus(OrphanPhotos.MIN_AGE.multipliedBy(2)));
    try (Stream<Path> files = Files.walk(data.resolve("photos"))) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        if (!f.equals(photos.path(recentOrphan))) {
          Files.setLastModifiedTime(f, longAgo);
        }
      }
    }

    try (Child second = new Child(model, data)) {
      Http http = new Http(second.port);
      for (Acked a : acked.values()) {
        Http.Response g = http.get("/api/grievances/" + a.trackingId());
        assertThat(g.status()).as("acknowledged grievance %s", a.trackingId()).isEqualTo(200);
        assertThat(g.json().get("description").asText()).isEqualTo(a.description());
        byte[] photo = http.get("/api/grievances/" + a.trackingId() + "/image").bytes();
        assertThat(PhotoStore.sha256(photo)).isEqualTo(a.photoSha());
      }
      // Everything in the register, acknowledged or not, is whole.
      FolderPhotoStore store = new FolderPhotoStore(data.resolve("photos"));
      int seen = 0;
      for (int page = 1; ; page++) {
        JsonNode p = http.get("/api/grievances?size=100&page=" + page).json();
        if (p.get("items").isEmpty()) {
          break;
        }
        for (JsonNode item : p.get("items")) {
          String id = item.get("trackingId").asText();
          JsonNode g = http.get("/api/grievances/" + id).json();
          assertThat(g.get("categories")).as("categories of %s", id).isNotEmpty();
          assertThat(g.get("history").get(0).get("field").asText()).isEqualTo("created");
          for (String kind : new String[] {"", "?annotated=true"}) {
            Http.Response img = http.get("/api/grievances/" + id + "/image" + kind);
            assertThat(img.status()).as("image%s of %s", kind, id).isEqualTo(200);
          }
          seen++;
        }
      }
      assertThat(seen).isGreaterThanOrEqualTo(acked.size());
      try (Stream<Path> files = Files.list(data.resolve("tmp"))) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .as("copies of uploads (metadata and all) left by the killed process are swept")
            .noneMatch(name -> name.startsWith("upload-"));
      }
      try (Stream<Path> files = Files.walk(data.resolve("photos"))) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          String name = f.getFileName().toString();
          assertThat(name).as("no temporary file survives a restart").doesNotEndWith(".tmp");
          assertThat(PhotoStore.sha256(Files.readAllBytes(f))).isEqualTo(name);
          assertThat(store.path(name)).isEqualTo(f);
        }
      }
      assertThat(photos.path(oldOrphan)).as("an old orphan photo is swept").doesNotExist();
      assertThat(staleTemp).as("a temporary photo file is swept").doesNotExist();
      assertThat(photos.path(recentOrphan)).as("a recent orphan may be in flight").exists();
      // Every old photo file left is referenced: read the register's own database, which the
      // running server shares (mixed mode).
      Set<String> referenced = new HashSet<>();
      RegisterConfig config = RegisterConfig.builder(model).dataDir(data).build();
      try (Database db = Database.open(config.effectiveJdbcUrl(), false)) {
        db.read(
            c -> {
              try (var st = c.createStatement();
                  var rs =
                      st.executeQuery("SELECT photo_sha256, annotated_sha256 FROM grievance")) {
                while (rs.next()) {
                  referenced.add(rs.getString(1).strip());
                  referenced.add(rs.getString(2).strip());
                }
              }
              // The store also holds the served model's archive (docs/model-promotion.md).
              try (var st = c.createStatement();
                  var rs = st.executeQuery("SELECT archive_sha256 FROM model_version")) {
                while (rs.next()) {
                  referenced.add(rs.getString(1).strip());
                }
              }
              return null;
            });
      }
      try (Stream<String> hashes = photos.hashes()) {
        assertThat(hashes.filter(h -> !h.equals(recentOrphan)))
            .as("no unreferenced photo older than the sweep's threshold survives a restart")
            .allMatch(referenced::contains);
      }
      try (Stream<Path> files = Files.list(data.resolveSibling("java-tmp"))) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .as("ImageIO's disk cache is off: no imageio*.tmp copies of uploads")
            .noneMatch(name -> name.startsWith("imageio"));
      }
      // The restarted service takes new submissions.
      Http.Response again =
          http.postMultipart(
              "/api/grievances",
              new Http.Multipart()
                  .file("photo", "p.jpg", "image/jpeg", TestModels.jpeg(50, 50, 1))
                  .field("description", "after restart"));
      assertThat(again.status()).isEqualTo(201);
      assertThat(again.json().get("trackingId").asText()).isNotIn(acked.keySet());
    }
  }
}
