package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.grievance.ssd.testing.ServerProcesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of the register, each a separate JVM ({@link ReplicaTestServer}) with its own data
 * folder, sharing one PostgreSQL schema and one photo store (the S3 test server when {@code
 * REGISTER_TEST_S3_URL} is set, else a shared folder). They are started at the same moment on an
 * empty schema, so both try to migrate it. Then: the same pothole submitted to both at once is
 * linked; officials merging crosswise on different replicas get one merge and one conflict; a stale
 * If-Match on one replica is refused after the other changed the grievance; and, last, a replica
 * killed with SIGKILL while clients submit to both loses no acknowledged grievance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasTest {
  Path tmp;

  String jdbcUrl;
  Path model;
  String photos;
  URI s3Endpoint;
  final List<Replica> replicas = new ArrayList<>();

  static final class Replica implements AutoCloseable {
    final Process process;
    final int port;
    final Http http;

    Replica(Process process) throws IOException {
      this.process = process;
      this.port = ServerProcesses.awaitPort(process);
      this.http = new Http(port);
    }

    URI base() {
      return URI.create("http://127.0.0.1:" + port + "/");
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

  ProcessBuilder replicaProcess(String name) throws IOException {
    Path data = Files.createDirectories(tmp.resolve(name));
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                javaBin,
                "-Xmx384m",
                "-Dai.djl.offline=true",
                "-Djava.awt.headless=true",
                "-cp",
                System.getProperty("java.class.path"),
                ReplicaTestServer.class.getName(),
                model.toString(),
                data.toString(),
                jdbcUrl,
                photos));
    if (s3Endpoint != null) {
      cmd.add(s3Endpoint.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (s3Endpoint != null) {
      pb.environment().putAll(TestS3.credentialEnvironment());
    }
    pb.redirectErrorStream(true);
    return pb;
  }

  @BeforeAll
  void startTwoReplicasAtOnce(@TempDir Path dir) throws Exception {
    tmp = dir;
    jdbcUrl = PostgresRegisterApiTest.freshSchema();
    model = TestModels.create(tmp.resolve("run"));
    if (System.getenv("REGISTER_TEST_S3_URL") != null
        || System.getProperty("register.test.s3") != null) {
      TestS3.useCredentials();
      photos = "s3://" + TestS3.createBucket() + "/photos";
      s3Endpoint = TestS3.endpoint();
    } else {
      photos = Files.createDirectories(tmp.resolve("shared-photos")).toString();
    }
    // Both at the same moment on an empty schema: each runs Flyway's migrate.
    List<Process> started = List.of(replicaProcess("a").start(), replicaProcess("b").start());
    for (Process p : started) {
      replicas.add(new Replica(p));
    }
  }

  @AfterAll
  void stopReplicas() {
    replicas.forEach(Replica::close);
  }

  @Test
  void replicasStartingAtOnceApplyEachMigrationExactlyOnce() throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version, COUNT(*), BOOL_AND(success) FROM flyway_schema_history"
                    + " WHERE version IS NOT NULL GROUP BY version ORDER BY version")) {
      List<String> versions = new ArrayList<>();
      while (rs.next()) {
        assertThat(rs.getInt(2)).as("runs of migration %s", rs.getString(1)).isEqualTo(1);
        assertThat(rs.getBoolean(3)).as("migration %s succeeded", rs.getString(1)).isTrue();
        versions.add(rs.getString(1));
      }
      var known =
          org.flywaydb.core.Flyway.configure()
              .dataSource(jdbcUrl, null, null)
              .locations("classpath:db/migration")
              .load()
              .info();
      assertThat(known.pending()).as("nothing left to migrate").isEmpty();
      assertThat(versions)
          .as("every migration of the class path")
          .hasSize(known.all().length)
          .isNotEmpty();
    }
  }

  Http.Response submit(Replica r, double lat, double lon, long seed) throws Exception {
    return r.http.postMultipart(
        "/api/grievances",
        new Http.Multipart()
            .file("photo", "p.jpg", "image/jpeg", TestModels.jpeg(48, 64, seed))
            .field("description", "pothole " + seed)
            .field("latitude", Double.toString(lat))
            .field("longitude", Double.toString(lon)));
  }

  /** Runs the tasks at the same moment, one thread each; returns their answers in order. */
  static <T> List<T> atOnce(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      CyclicBarrier start = new CyclicBarrier(tasks.size());
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> t : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return t.call();
                }));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  String officialToken(String name) throws Exception {
    try (Database db = Database.open(jdbcUrl, false)) {
      return new Officials(db).add(name);
    }
  }

  @Test
  void theSamePotholeSubmittedToBothReplicasAtOnceIsLinked() throws Exception {
    String token = officialToken("Linker");
    Replica a = replicas.get(0);
    Replica b = replicas.get(1);
    for (int round = 0; round < 10; round++) {
      double lat = 10 + round * 0.01; // 1 km between rounds
      List<Callable<Http.Response>> four = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        Replica r = k % 2 == 0 ? a : b;
        double at = lat + k * 0.00002; // 2.2 m apart
        long seed = 1000L + 4 * round + k;
        four.add(() -> submit(r, at, 20, seed));
      }
      List<Long> ids = new ArrayList<>();
      for (Http.Response r : atOnce(four)) {
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        ids.add(idOf(a, r, token));
      }
      Map<Long, Set<Long>> links = new java.util.HashMap<>();
      for (long id : ids) {
        Set<Long> linked = new HashSet<>();
        b.http
            .get("/api/grievances/" + id, token)
            .json()
            .get("possibleDuplicates")
            .forEach(d -> linked.add(d.get("id").asLong()));
        links.put(id, linked);
      }
      for (long x : ids) {
        for (long y : ids) {
          if (x < y) {
            assertThat(links.get(x).contains(y) || links.get(y).contains(x))
                .as(
                    "round %d: %d and %d, submitted together to two replicas, are linked",
                    round, x, y)
                .isTrue();
          }
        }
      }
    }
  }

  /** The numeric id of a submission's grievance, from its tracking id, as an official sees it. */
  static long idOf(Replica r, Http.Response submitted, String token) throws Exception {
    String tracking = submitted.json().get("trackingId").asText();
    return r.http.get("/api/grievances/" + tracking, token).json().get("id").asLong();
  }

  @Test
  void officialsOnDifferentReplicasMergingCrosswiseGetOneMergeAndOneConflict() throws Exception {
    String ada = officialToken("Ada");
    String bo = officialToken("Bo");
    Replica a = replicas.get(0);
    Replica b = replicas.get(1);
    for (int round = 0; round < 6; round++) {
      long x = idOf(a, submit(a, -10 - round, 5, 5000L + round), ada);
      long y = idOf(b, submit(b, -10 - round, 6, 6000L + round), bo); // 110 km apart
      List<Http.Response> answers =
          atOnce(
              List.of(
                  () -> a.http.patch("/api/grievances/" + x, ada, "{\"mergeInto\":" + y + "}"),
                  () -> b.http.patch("/api/grievances/" + y, bo, "{\"mergeInto\":" + x + "}")));
      List<Integer> codes = answers.stream().map(Http.Response::status).toList();
      assertThat(codes).as("round %d: %s", round, answers).containsExactlyInAnyOrder(200, 409);
      JsonNode gx = a.http.get("/api/grievances/" + x, ada).json();
      JsonNode gy = b.http.get("/api/grievances/" + y, bo).json();
      assertThat(gx.has("mergedInto") ^ gy.has("mergedInto")).as("exactly one is merged").isTrue();
    }
  }

  @Test
  void aStaleIfMatchOnOneReplicaIsRefusedAfterAChangeOnTheOther() throws Exception {
    String token = officialToken("Cy");
    Replica a = replicas.get(0);
    Replica b = replicas.get(1);
    long id = idOf(a, submit(a, 30, 30, 7000), token);
    Http.Response seen = b.http.get("/api/grievances/" + id, token);
    String etag = seen.header("ETag");
    assertThat(etag).isNotBlank();
    assertThat(
            a.http.patch("/api/grievances/" + id, token, "{\"status\":\"in_progress\"}").status())
        .isEqualTo(200);
    Http.Response stale =
        b.http.send(
            b.http
                .request("/api/grievances/" + id)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .header("If-Match", etag)
                .method(
                    "PATCH",
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"status\":\"resolved\"}")));
    assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
    assertThat(a.http.get("/api/grievances/" + id, token).json().get("status").asText())
        .isEqualTo("in_progress");
  }

  /** Last: it kills one of the two replicas. */
  @Test
  @Order(Integer.MAX_VALUE)
  void aReplicaKilledMidLoadLosesNoAcknowledgedGrievance() throws Exception {
    Replica first = replicas.get(0);
    Replica survivor = replicas.get(1);
    Map<String, byte[]> acked = new ConcurrentHashMap<>();
    byte[] photo = TestModels.jpeg(60, 80, 42);
    Thread load =
        new Thread(
            () -> {
              try {
                LoadTest.run(
                    List.of(first.base(), survivor.base()),
                    (client, n) ->
                        LoadTest.submission(photo, 40 + client, 50 + n * 0.01, "load " + n),
                    4,
                    Duration.ofSeconds(6),
                    (call, answer) -> {
                      try {
                        String id = ApiJson.MAPPER.readTree(answer).get("trackingId").asText();
                        acked.put(id, call.body());
                      } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    });
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    load.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (acked.size() < 10 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    int beforeKill = acked.size();
    first.kill(); // requests are in flight to it
    load.join();
    assertThat(beforeKill).isGreaterThanOrEqualTo(10);
    assertThat(acked.size())
        .as("clients went on with the survivor after the kill")
        .isGreaterThan(beforeKill);
    Set<String> stored = new HashSet<>();
    for (String id : acked.keySet()) {
      Http.Response g = survivor.http.get("/api/grievances/" + id);
      assertThat(g.status()).as("acknowledged grievance %s", id).isEqualTo(200);
      Http.Response image = survivor.http.get("/api/grievances/" + id + "/image");
      assertThat(image.status()).as("photo of %s", id).isEqualTo(200);
      assertThat(image.bytes()).as("photo of %s", id).isNotEmpty();
      stored.add(PhotoStore.sha256(image.bytes()));
    }
    assertThat(stored).as("the same upload always yields the same stored photo").hasSize(1);
  }
}
