package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.ImageFormat;
import org.grievance.ssd.image.PhotoMetadata;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.infer.DetectionWriter;
import org.grievance.ssd.infer.ImageDetections;
import org.grievance.ssd.register.store.NewGrievance;
import org.grievance.ssd.register.store.PhotoRef;
import org.grievance.ssd.register.workflow.GeoDistance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint and every rejection of the service, against whatever database the subclass gives.
 * Tests share one server; each creates the grievances it inspects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RegisterApiContract {
  static final long MAX_UPLOAD = 300_000;
  static final long MAX_PIXELS = 2_000_000;
  static final int MAX_DESCRIPTION = 500;

  Path tmp;
  RegisterServer server;
  Http http;
  String token;
  String otherToken;

  /** The JDBC URL of an empty database, or null for the default embedded H2 under dataDir. */
  abstract String jdbcUrl(Path tmp) throws Exception;

  @BeforeAll
  void startServer(@TempDir Path dir) throws Exception {
    tmp = dir;
    Path model = TestModels.create(tmp.resolve("run"));
    RegisterConfig config =
        RegisterConfig.builder(model)
            .host("127.0.0.1")
            .port(0)
            .jdbcUrl(jdbcUrl(tmp))
            .dataDir(tmp.resolve("data"))
            .tagThreshold(0.0)
            .maxUploadBytes(MAX_UPLOAD)
            .maxPixels(MAX_PIXELS)
            .maxDescriptionLength(MAX_DESCRIPTION)
            .workers(1)
            // One waiting place, not zero: with a hand-off queue a request that arrives while the
            // single worker is between two tasks is refused, which made back-to-back calls flaky.
            .queueCapacity(1)
            .detectTimeout(Duration.ofSeconds(60))
            .build();
    server = RegisterServer.start(config);
    http = new Http(server.port());
    token = server.officials().add("Ada Official");
    otherToken = server.officials().add("Bo");
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  // ---------------------------------------------------------------- service

  @Test
  void healthReportsDatabaseAndModel() throws Exception {
    Http.Response r = http.get("/api/health");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("status").asText()).isEqualTo("ok");
    assertThat(r.json().get("database").asText()).isEqualTo("ok");
  }

  @Test
  void modelDescribesClassesInputAndAnchors() throws Exception {
    JsonNode m = http.get("/api/model").json();
    assertThat(m.get("classes").toString()).isEqualTo("[\"pothole\",\"graffiti\"]");
    assertThat(m.get("inputHeight").asInt()).isEqualTo(96);
    assertThat(m.get("inputWidth").asInt()).isEqualTo(128);
    assertThat(m.get("anchors").asInt()).isPositive();
    assertThat(m.get("checkpointDate").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }

  @Test
  void openApiDocumentsEveryEndpoint() throws Exception {
    Http.Response r = http.get("/openapi.json");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    JsonNode paths = r.json().get("paths");
    List<String> names = new ArrayList<>();
    paths.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactlyInAnyOrder(
            "/api/health",
            "/api/model",
            "/api/detect",
            "/api/grievances",
            "/api/grievances/{id}",
            "/api/grievances/{id}/image",
            "/api/grievances/{id}/annotations",
            "/api/stats");
    assertThat(paths.get("/api/grievances/{id}/annotations").has("put")).isTrue();
    assertThat(paths.get("/api/grievances/{id}").has("patch")).isTrue();
    assertThat(r.json().at("/components/schemas/Detections/properties/schema/enum/0").asText())
        .as("the document names the detection JSON version the service writes")
        .isEqualTo(DetectionWriter.SCHEMA);
  }

  @Test
  void unknownApiPathIs404Json() throws Exception {
    Http.Response r = http.get("/api/nothing-here");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("error").asText()).contains("/api/nothing-here");
  }

  // ---------------------------------------------------------------- detect

  @Test
  void detectMultipartGivesDetectionsInOriginalPixels() throws Exception {
    byte[] jpeg = TestModels.jpeg(150, 200, 1);
    Http.Response r =
        http.postMultipart(
            "/api/detect", new Http.Multipart().file("image", "a.jpg", "image/jpeg", jpeg));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode j = r.json();
    assertThat(j.get("imageWidth").asInt()).isEqualTo(200);
    assertThat(j.get("imageHeight").asInt()).isEqualTo(150);
    assertThat(j.get("model").asText()).isEqualTo("run/best");
    assertThat(j.get("millis").asDouble()).isPositive();
    assertThat(j.get("detections").size()).isBetween(1, 40);
    // The answer is a detection JSON document (the schema ssd predict writes) plus the service's
    // fields.
    assertThat(j.get("schema").asText()).isEqualTo(DetectionWriter.SCHEMA);
    ImageDetections parsed = DetectionWriter.fromJson(j, "detect answer");
    assertThat(parsed.image()).isNull();
    assertThat(parsed.width()).isEqualTo(200);
    assertThat(parsed.height()).isEqualTo(150);
    assertThat(parsed.detections()).hasSize(j.get("detections").size());
    for (JsonNode d : j.get("detections")) {
      assertThat(d.fieldNames()).toIterable().containsExactly("classId", "class", "score", "box");
      assertThat(d.get("class").asText()).isIn("pothole", "graffiti");
      JsonNode b = d.get("box");
      assertThat(b.get("xmax").asDouble()).isGreaterThan(b.get("xmin").asDouble());
      assertThat(b.get("ymax").asDouble()).isGreaterThan(b.get("ymin").asDouble());
      // Original-image pixels: boxes are about the image's size, not the 96x128 input's.
      assertThat(b.get("xmin").asDouble()).isBetween(-200.0, 400.0);
    }
  }

  @Test
  void detectRawBodyMatchesMultipart() throws Exception {
    byte[] jpeg = TestModels.jpeg(120, 160, 2);
    JsonNode raw = http.postRaw("/api/detect", jpeg, "image/jpeg").json();
    JsonNode multi =
        http.postMultipart(
                "/api/detect", new Http.Multipart().file("image", "b.jpg", "image/jpeg", jpeg))
            .json();
    assertThat(raw.get("detections")).isEqualTo(multi.get("detections"));
  }

  @Test
  void detectAnnotatedReturnsPngOfTheOriginalSize() throws Exception {
    byte[] jpeg = TestModels.jpeg(90, 140, 3);
    Http.Response r = http.postRaw("/api/detect?annotated=true", jpeg, "application/octet-stream");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("image/png");
    var img = ImageIO.read(new ByteArrayInputStream(r.bytes()));
    assertThat(img.getWidth()).isEqualTo(140);
    assertThat(img.getHeight()).isEqualTo(90);
  }

  @Test
  void detectRejectsOversizeUploadWith413() throws Exception {
    byte[] big = noisyPng(400, 400); // incompressible: well over MAX_UPLOAD bytes
    assertThat((long) big.length).isGreaterThan(MAX_UPLOAD);
    assertThat(http.postRaw("/api/detect", big, "image/png").status()).isEqualTo(413);
    Http.Response multi =
        http.postMultipart(
            "/api/detect", new Http.Multipart().file("image", "big.png", "image/png", big));
    assertThat(multi.status()).as(multi.toString()).isEqualTo(413);
  }

  @Test
  void detectRejectsPartJustOverTheLimitWith413() throws Exception {
    byte[] jpeg = TestModels.jpeg(60, 80, 4);
    byte[] padded = java.util.Arrays.copyOf(jpeg, (int) MAX_UPLOAD + 1); // trailing zeros
    Http.Response r =
        http.postMultipart(
            "/api/detect", new Http.Multipart().file("image", "p.jpg", "image/jpeg", padded));
    assertThat(r.status()).as(r.toString()).isEqualTo(413);
  }

  @Test
  @DisplayName("decompression bomb: a tiny PNG declaring 20000x20000 is 413 before decoding")
  void detectRejectsPixelBombFromHeader() throws Exception {
    byte[] bomb = pngDeclaring(20_000, 20_000);
    assertThat(bomb.length).isLessThan(1000);
    Http.Response r = http.postRaw("/api/detect", bomb, "image/png");
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.json().get("error").asText()).contains("400000000 pixels");
  }

  @Test
  void detectSniffsContentNotNameOrTypeAndRejectsNonImagesWith415() throws Exception {
    byte[] text = "<html>not an image</html>".getBytes(StandardCharsets.UTF_8);
    Http.Response r =
        http.postMultipart(
            "/api/detect", new Http.Multipart().file("image", "photo.jpg", "image/jpeg", text));
    assertThat(r.status()).isEqualTo(415);
    assertThat(http.postRaw("/api/detect", text, "image/png").status()).isEqualTo(415);
    // ... while a real PNG sent as text/plain named .txt is accepted.
    byte[] png = png(TestModels.blobs(40, 50, 5));
    assertThat(
            http.postMultipart(
                    "/api/detect",
                    new Http.Multipart().file("image", "notes.txt", "text/plain", png))
                .status())
        .isEqualTo(200);
  }

  @Test
  void detectRejectsEmptyMissingAndCorruptImagesWith400() throws Exception {
    assertThat(http.postRaw("/api/detect", new byte[0], "image/jpeg").status()).isEqualTo(400);
    assertThat(http.postMultipart("/api/detect", new Http.Multipart().field("other", "x")).status())
        .isEqualTo(400);
    byte[] corrupt = TestModels.jpeg(100, 100, 6);
    corrupt = java.util.Arrays.copyOf(corrupt, 200); // truncated after the header
    Http.Response r = http.postRaw("/api/detect", corrupt, "image/jpeg");
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.json().get("error").asText()).doesNotContain(tmp.toString());
  }

  @Test
  void detectAnswers503WithRetryAfterWhenTheQueueIsFull() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    Future<Object> blocker =
        server
            .detection()
            .submit(
                () -> {
                  running.countDown();
                  release.await();
                  return null;
                });
    Future<Object> waiting = null;
    try {
      running.await();
      // The worker runs the blocker; this fills the one waiting place.
      waiting = server.detection().submit(() -> null);
      Http.Response r = http.postRaw("/api/detect", TestModels.jpeg(50, 50, 7), "image/jpeg");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.header("Retry-After")).isEqualTo("1");
    } finally {
      release.countDown();
      blocker.get();
      if (waiting != null) {
        waiting.get();
      }
    }
    assertThat(http.postRaw("/api/detect", TestModels.jpeg(50, 50, 7), "image/jpeg").status())
        .isEqualTo(200);
  }

  // ---------------------------------------------------------------- submit and read

  Http.Response submit(byte[] photo, String description, Double lat, Double lon, String contact)
      throws Exception {
    Http.Multipart form = new Http.Multipart().file("photo", "p.jpg", "image/jpeg", photo);
    if (description != null) {
      form.field("description", description);
    }
    if (lat != null) {
      form.field("latitude", lat.toString());
    }
    if (lon != null) {
      form.field("longitude", lon.toString());
    }
    if (contact != null) {
      form.field("contact", contact);
    }
    return http.postMultipart("/api/grievances", form);
  }

  /** Submits and returns the tracking id. */
  String submitOk(byte[] photo, String description, Double lat, Double lon) throws Exception {
    Http.Response r = submit(photo, description, lat, lon, null);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("trackingId").asText();
  }

  /** The numeric id of a grievance, as officials see it. */
  long numericId(String trackingId) throws Exception {
    Http.Response r = http.get("/api/grievances/" + trackingId, token);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("id").asLong();
  }

  @Test
  void submitStoresGrievanceWithTagsPhotoAndTrackingLink() throws Exception {
    byte[] photo = TestModels.jpeg(120, 160, 10);
    Http.Response r = submit(photo, "  Deep pothole on Main St  ", 52.5, 13.4, "ada@example.org");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    String id = r.json().get("trackingId").asText();
    assertThat(id).matches("[a-z2-7]{26}");
    assertThat(r.json().has("id")).as("no numeric id for the public").isFalse();
    assertThat(r.header("Location")).isEqualTo("/api/grievances/" + id);
    assertThat(r.json().get("trackingUrl").asText()).isEqualTo("/api/grievances/" + id);
    assertThat(r.json().get("pageUrl").asText()).isEqualTo("/#track=" + id);

    JsonNode g = http.get("/api/grievances/" + id).json();
    assertThat(g.get("description").asText()).isEqualTo("Deep pothole on Main St");
    assertThat(g.get("status").asText()).isEqualTo("open");
    assertThat(g.get("latitude").asDouble()).isEqualTo(52.5);
    assertThat(g.has("contact")).as("contact is for officials only").isFalse();
    assertThat(g.get("imageWidth").asInt()).isEqualTo(160);
    // Tags are exactly the classes detected at or above the threshold (0 here).
    Set<String> detected = new HashSet<>();
    g.get("detections").forEach(d -> detected.add(d.get("class").asText()));
    for (JsonNode d : g.get("detections")) {
      assertThat(d.fieldNames()).toIterable().containsExactly("classId", "class", "score", "box");
      assertThat(d.get("box").fieldNames())
          .toIterable()
          .containsExactly("xmin", "ymin", "xmax", "ymax");
    }
    Set<String> tagged = new HashSet<>();
    g.get("categories").forEach(c -> tagged.add(c.get("name").asText()));
    assertThat(detected).isNotEmpty();
    assertThat(tagged).isEqualTo(detected);
    Set<String> created = new HashSet<>();
    r.json().get("categories").forEach(c -> created.add(c.asText()));
    assertThat(created).isEqualTo(detected);
    JsonNode history = g.get("history");
    assertThat(history.size()).isEqualTo(1);
    assertThat(history.get(0).get("field").asText()).isEqualTo("created");
    assertThat(history.get(0).get("actor").asText()).isEqualTo("citizen");

    JsonNode asOfficial = http.get("/api/grievances/" + id, token).json();
    assertThat(asOfficial.get("contact").asText()).isEqualTo("ada@example.org");
  }

  @Test
  void imageEndpointsServeTheStoredCleanPhotoAndTheAnnotatedPng() throws Exception {
    byte[] photo = TestModels.jpeg(100, 130, 11);
    String id = submitOk(photo, "broken lamp", null, null);
    Http.Response original = http.get("/api/grievances/" + id + "/image");
    assertThat(original.status()).isEqualTo(200);
    assertThat(original.header("Content-Type")).isEqualTo("image/jpeg");
    // Not the upload itself (discarded) but its clean copy, stored under its own hash.
    byte[] served = original.bytes();
    assertThat(served).isNotEqualTo(photo);
    assertThat(server.photos().read(PhotoStore.sha256(served))).isEqualTo(served);
    assertThat(server.photos().exists(PhotoStore.sha256(photo))).isFalse();
    var shown = ImageIO.read(new ByteArrayInputStream(served));
    assertThat(shown.getWidth()).isEqualTo(130);
    assertThat(shown.getHeight()).isEqualTo(100);
    Http.Response annotated = http.get("/api/grievances/" + id + "/image?annotated=true");
    assertThat(annotated.header("Content-Type")).isEqualTo("image/png");
    var img = ImageIO.read(new ByteArrayInputStream(annotated.bytes()));
    assertThat(img.getWidth()).isEqualTo(130);
    assertThat(http.get("/api/grievances/999999/image", token).status()).isEqualTo(404);
    assertThat(http.get("/api/grievances/999999", token).status()).isEqualTo(404);
    assertThat(http.get("/api/grievances/" + "a".repeat(26)).status()).isEqualTo(404);
    assertThat(http.get("/api/grievances/" + "a".repeat(26) + "/image").status()).isEqualTo(404);
    assertThat(http.get("/api/grievances/abc").status()).isEqualTo(404);
  }

  @Test
  void submitRejectionsStoreNothing() throws Exception {
    long before = http.get("/api/stats").json().get("reports").asLong();
    byte[] ok = TestModels.jpeg(60, 60, 12);
    assertThat(submit(ok, null, null, null, null).status()).isEqualTo(400);
    assertThat(submit(ok, "   ", null, null, null).status()).isEqualTo(400);
    assertThat(submit(ok, "x".repeat(MAX_DESCRIPTION + 1), null, null, null).status())
        .isEqualTo(400);
    assertThat(submit(ok, "d", 91.0, 10.0, null).status()).isEqualTo(400);
    assertThat(submit(ok, "d", 10.0, null, null).status()).isEqualTo(400);
    assertThat(submit(ok, "d", null, null, "c".repeat(201)).status()).isEqualTo(400);
    Http.Multipart badLat =
        new Http.Multipart()
            .file("photo", "p.jpg", "image/jpeg", ok)
            .field("description", "d")
            .field("latitude", "north")
            .field("longitude", "1");
    assertThat(http.postMultipart("/api/grievances", badLat).status()).isEqualTo(400);
    assertThat(
            http.postMultipart("/api/grievances", new Http.Multipart().field("description", "d"))
                .status())
        .isEqualTo(400);
    assertThat(submit("GIF? no".getBytes(StandardCharsets.UTF_8), "d", null, null, null).status())
        .isEqualTo(415);
    assertThat(submit(pngDeclaring(10_000, 10_000), "d", null, null, null).status()).isEqualTo(413);
    assertThat(submit(noisyPng(400, 400), "d", null, null, null).status()).isEqualTo(413);
    assertThat(http.postRaw("/api/grievances", ok, "image/jpeg").status()).isEqualTo(415);
    assertThat(http.get("/api/stats").json().get("reports").asLong()).isEqualTo(before);
  }

  @Test
  @DisplayName("SQL and XSS payloads are stored verbatim and harmlessly")
  void sqlAndScriptPayloadsAreStoredHarmlessly() throws Exception {
    String payload =
        "'); DROP TABLE grievance; -- <script>alert('x')</script> <img src=x onerror=alert(1)>";
    String id = submitOk(TestModels.jpeg(60, 60, 13), payload, null, null);
    assertThat(http.get("/api/grievances/" + id).json().get("description").asText())
        .isEqualTo(payload);
    JsonNode page = http.get("/api/grievances?category=" + encode("x' OR '1'='1")).json();
    assertThat(page.get("total").asLong()).isZero();
    assertThat(http.get("/api/grievances?size=1").json().get("total").asLong()).isPositive();
    Http.Response patched =
        http.patch(
            "/api/grievances/" + id,
            token,
            "{\"comment\": \"1; DELETE FROM audit_event; <b>bold</b>\"}");
    assertThat(patched.status()).isEqualTo(200);
    JsonNode history = patched.json().get("history");
    assertThat(history.get(history.size() - 1).get("comment").asText())
        .isEqualTo("1; DELETE FROM audit_event; <b>bold</b>");
    assertThat(history.size()).isEqualTo(2);
  }

  // ---------------------------------------------------------------- list and stats

  @Test
  void listIsNewestFirstPagedAndFiltered() throws Exception {
    byte[] photo = TestModels.jpeg(60, 80, 14);
    String a = submitOk(photo, "list a", null, null);
    String b = submitOk(photo, "list b", null, null);
    String c = submitOk(photo, "list c", null, null);
    JsonNode first = http.get("/api/grievances?size=2&page=1").json();
    assertThat(first.get("items").get(0).get("trackingId").asText()).isEqualTo(c);
    assertThat(first.get("items").get(1).get("trackingId").asText()).isEqualTo(b);
    assertThat(first.get("size").asInt()).isEqualTo(2);
    JsonNode second = http.get("/api/grievances?size=2&page=2").json();
    assertThat(second.get("items").get(0).get("trackingId").asText()).isEqualTo(a);
    assertThat(second.get("total").asLong()).isEqualTo(first.get("total").asLong());
    assertThat(first.get("items").get(0).has("contact")).isFalse();

    assertThat(http.patch("/api/grievances/" + b, token, "{\"status\":\"in_progress\"}").status())
        .isEqualTo(200);
    JsonNode inProgress = http.get("/api/grievances?status=in_progress&size=100").json();
    assertThat(ids(inProgress)).contains(b).doesNotContain(a, c);
    String cat =
        http.get("/api/grievances/" + a).json().get("categories").get(0).get("name").asText();
    assertThat(ids(http.get("/api/grievances?category=" + cat + "&size=100").json())).contains(a);
    assertThat(ids(http.get("/api/grievances?category=untagged&size=100").json()))
        .doesNotContain(a);

    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
    assertThat(ids(http.get("/api/grievances?from=" + today + "&to=" + today + "&size=100").json()))
        .contains(a, b, c);
    assertThat(ids(http.get("/api/grievances?from=" + tomorrow + "&size=100").json())).isEmpty();
    assertThat(ids(http.get("/api/grievances?to=2000-01-01&size=100").json())).isEmpty();
  }

  @Test
  void listRejectsBadParametersWith400() throws Exception {
    assertThat(http.get("/api/grievances?status=done").status()).isEqualTo(400);
    assertThat(http.get("/api/grievances?page=0").status()).isEqualTo(400);
    assertThat(http.get("/api/grievances?size=1000").status()).isEqualTo(400);
    assertThat(http.get("/api/grievances?from=yesterday").status()).isEqualTo(400);
    assertThat(http.get("/api/grievances", "not-a-token").status()).isEqualTo(401);
  }

  @Test
  void statsCountByStatusAndCategory() throws Exception {
    JsonNode before = http.get("/api/stats").json();
    String id = submitOk(TestModels.jpeg(60, 80, 15), "stats", null, null);
    JsonNode g = http.get("/api/grievances/" + id).json();
    http.patch("/api/grievances/" + id, token, "{\"status\":\"rejected\"}");
    JsonNode after = http.get("/api/stats").json();
    assertThat(after.get("reports").asLong()).isEqualTo(before.get("reports").asLong() + 1);
    assertThat(after.get("workItems").asLong()).isEqualTo(before.get("workItems").asLong() + 1);
    assertThat(after.get("byStatus").get("rejected").asLong())
        .isEqualTo(before.get("byStatus").get("rejected").asLong() + 1);
    for (JsonNode c : g.get("categories")) {
      String name = c.get("name").asText();
      long was = before.get("byCategory").path(name).asLong(0);
      assertThat(after.get("byCategory").get(name).asLong()).isEqualTo(was + 1);
    }
  }

  // ---------------------------------------------------------------- officials

  @Test
  void patchNeedsAValidBearerToken() throws Exception {
    String id = submitOk(TestModels.jpeg(60, 60, 16), "auth", null, null);
    String body = "{\"status\":\"in_progress\"}";
    Http.Response none = http.patch("/api/grievances/" + id, null, body);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(http.patch("/api/grievances/" + id, "wrong", body).status()).isEqualTo(401);
    assertThat(http.patch("/api/grievances/" + id, token + "x", body).status()).isEqualTo(401);
    Http.Response basic =
        http.send(
            http.request("/api/grievances/" + id)
                .header("Authorization", "Basic YTpi")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    assertThat(basic.status()).isEqualTo(401);
    assertThat(http.get("/api/grievances/" + id).json().get("status").asText()).isEqualTo("open");
  }

  @Test
  @DisplayName(
      "no, empty, Basic, junk, 5,000-character, suffixed, revoked, expired tokens: 401 JSON")
  void everyBadAuthorizationIs401WithAJsonBody() throws Exception {
    String revokedToken = server.officials().add("Soon Revoked");
    String expiredToken =
        new Officials(server.database(), Clock.offset(Clock.systemUTC(), Duration.ofDays(-2)))
            .add("Long Gone", Instant.now().minus(Duration.ofDays(1)));
    assertThat(http.get("/api/grievances?size=1", revokedToken).status()).isEqualTo(200);
    assertThat(server.officials().revoke("Soon Revoked")).isTrue();
    List<String> headers =
        List.of(
            "",
            "Bearer",
            "Bearer ",
            "Basic YTpi",
            "Bearer junk",
            "Bearer " + "a".repeat(5000),
            "Bearer " + token + "x",
            "Bearer " + token + " " + token,
            "bearer" + token,
            "Bearer " + revokedToken,
            "Bearer " + expiredToken);
    String id = submitOk(TestModels.jpeg(60, 60, 40), "auth matrix", null, null);
    for (String h : headers) {
      String shown = h.length() > 60 ? h.substring(0, 60) + "..." : h;
      List<Http.Response> answers =
          List.of(
              http.send(http.request("/api/grievances").header("Authorization", h).GET()),
              http.send(
                  http.request("/api/grievances/" + id)
                      .header("Authorization", h)
                      .header("Content-Type", "application/json")
                      .method(
                          "PATCH",
                          java.net.http.HttpRequest.BodyPublishers.ofString(
                              "{\"status\":\"rejected\"}"))));
      for (Http.Response r : answers) {
        assertThat(r.status()).as("Authorization: %s", shown).isEqualTo(401);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().get("status").asInt()).isEqualTo(401);
        assertThat(r.json().get("error").asText()).isNotBlank().doesNotContain("Exception");
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
      }
    }
    // A missing header is the public for reads, and 401 for changes.
    assertThat(http.patch("/api/grievances/" + id, null, "{\"status\":\"rejected\"}").status())
        .isEqualTo(401);
    assertThat(http.get("/api/grievances/" + id, token).json().get("status").asText())
        .isEqualTo("open");
  }

  @Test
  void statusMovesOpenInProgressResolvedWithAuditTrail() throws Exception {
    String id = submitOk(TestModels.jpeg(60, 60, 17), "lifecycle", null, null);
    String path = "/api/grievances/" + id;
    assertThat(http.patch(path, token, "{\"status\":\"resolved\"}").status())
        .as("open cannot jump to resolved")
        .isEqualTo(409);
    Http.Response r1 =
        http.patch(path, token, "{\"status\":\"in_progress\",\"comment\":\"crew sent\"}");
    assertThat(r1.status()).isEqualTo(200);
    assertThat(r1.json().get("status").asText()).isEqualTo("in_progress");
    assertThat(http.patch(path, token, "{\"status\":\"in_progress\"}").status()).isEqualTo(409);
    Http.Response r2 = http.patch(path, otherToken, "{\"status\":\"resolved\"}");
    assertThat(r2.status()).isEqualTo(200);
    Http.Response back = http.patch(path, token, "{\"status\":\"open\"}");
    assertThat(back.status()).isEqualTo(409);
    assertThat(back.json().get("error").asText()).contains("final");
    JsonNode history = http.get(path, token).json().get("history");
    assertThat(history.size()).isEqualTo(3);
    JsonNode e1 = history.get(1);
    assertThat(e1.get("actor").asText()).isEqualTo("Ada Official");
    assertThat(e1.get("field").asText()).isEqualTo("status");
    assertThat(e1.get("from").asText()).isEqualTo("open");
    assertThat(e1.get("to").asText()).isEqualTo("in_progress");
    assertThat(e1.get("comment").asText()).isEqualTo("crew sent");
    assertThat(e1.get("at").asText()).isNotBlank();
    assertThat(history.get(2).get("actor").asText()).isEqualTo("Bo");
    assertThat(history.get(2).get("to").asText()).isEqualTo("resolved");
  }

  @Test
  void openMayBeRejectedDirectly() throws Exception {
    String id = submitOk(TestModels.jpeg(60, 60, 18), "spam", null, null);
    assertThat(http.patch("/api/grievances/" + id, token, "{\"status\":\"rejected\"}").status())
        .isEqualTo(200);
  }

  @Test
  void patchRejectsMalformedBodiesWith400And404ForUnknownIds() throws Exception {
    String id = submitOk(TestModels.jpeg(60, 60, 19), "bad patches", null, null);
    String path = "/api/grievances/" + id;
    assertThat(http.patch(path, token, "{}").status()).isEqualTo(400);
    assertThat(http.patch(path, token, "not json").status()).isEqualTo(400);
    assertThat(http.patch(path, token, "{\"status\":\"done\"}").status()).isEqualTo(400);
    assertThat(http.patch(path, token, "{\"owner\":\"me\"}").status()).isEqualTo(400);
    assertThat(http.patch(path, token, "{\"categories\":[]}").status()).isEqualTo(400);
    assertThat(http.patch(path, token, "{\"categories\":[\"dragon\"]}").status()).isEqualTo(400);
    assertThat(
            http.patch(path, token, "{\"comment\":\"" + "c".repeat(MAX_DESCRIPTION + 1) + "\"}")
                .status())
        .isEqualTo(400);
    assertThat(http.patch("/api/grievances/999999", token, "{\"comment\":\"x\"}").status())
        .isEqualTo(404);
    assertThat(http.get(path).json().get("history").size()).isEqualTo(1);
  }

  @Test
  void officialsCorrectCategoriesAndComment() throws Exception {
    String id = submitOk(TestModels.jpeg(60, 60, 20), "wrong tag", null, null);
    String path = "/api/grievances/" + id;
    Http.Response r =
        http.patch(path, token, "{\"categories\":[\"graffiti\"],\"comment\":\"it is paint\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode cats = r.json().get("categories");
    assertThat(cats.size()).isEqualTo(1);
    assertThat(cats.get(0).get("name").asText()).isEqualTo("graffiti");
    assertThat(cats.get(0).has("score")).isFalse();
    JsonNode e = r.json().get("history").get(1);
    assertThat(e.get("field").asText()).isEqualTo("categories");
    assertThat(e.get("to").asText()).isEqualTo("graffiti");
    assertThat(e.get("comment").asText()).isEqualTo("it is paint");
    assertThat(ids(http.get("/api/grievances?category=graffiti&size=100").json())).contains(id);
    Http.Response c = http.patch(path, token, "{\"comment\":\"noted\"}");
    JsonNode last = c.json().get("history").get(2);
    assertThat(last.get("field").asText()).isEqualTo("comment");
    assertThat(last.get("comment").asText()).isEqualTo("noted");
  }

  // ---------------------------------------------------------------- duplicates

  @Test
  void nearbyGrievancesOfACommonCategoryAreLinkedAndCanBeMerged() throws Exception {
    byte[] photo = TestModels.jpeg(80, 100, 21); // same photo: same categories
    double lat = -33.8688;
    double lon = 151.2093;
    double thirtyMetersNorth = lat + GeoDistance.latitudeDegrees(30);
    double twoHundredMetersNorth = lat + GeoDistance.latitudeDegrees(200);
    String a = submitOk(photo, "pothole here", lat, lon);
    String b = submitOk(photo, "same pothole", thirtyMetersNorth, lon);
    String far = submitOk(photo, "another one", twoHundredMetersNorth, lon);
    String noLocation = submitOk(photo, "somewhere", null, null);

    long idA = numericId(a);
    long idB = numericId(b);
    JsonNode gb = http.get("/api/grievances/" + b, token).json();
    assertThat(gb.get("possibleDuplicates").size()).isEqualTo(1);
    assertThat(gb.get("possibleDuplicates").get(0).get("id").asLong()).isEqualTo(idA);
    assertThat(http.get("/api/grievances/" + b).json().has("possibleDuplicates"))
        .as("duplicates are for officials")
        .isFalse();
    assertThat(gb.get("possibleDuplicates").get(0).get("distanceMeters").asDouble())
        .isCloseTo(30.0, org.assertj.core.data.Offset.offset(0.5));
    JsonNode ga = http.get("/api/grievances/" + a, token).json();
    assertThat(ga.get("possibleDuplicates").get(0).get("id").asLong()).isEqualTo(idB);
    assertThat(http.get("/api/grievances/" + far, token).json().get("possibleDuplicates"))
        .isEmpty();
    assertThat(http.get("/api/grievances/" + noLocation, token).json().get("possibleDuplicates"))
        .isEmpty();

    long workItemsBefore = http.get("/api/stats").json().get("workItems").asLong();
    Http.Response merged = http.patch("/api/grievances/" + b, token, "{\"mergeInto\":" + idA + "}");
    assertThat(merged.status()).as(merged.toString()).isEqualTo(200);
    assertThat(merged.json().get("mergedInto").asLong()).isEqualTo(idA);
    ga = http.get("/api/grievances/" + a, token).json();
    assertThat(ga.get("reports").toString()).isEqualTo("[" + idB + "]");
    assertThat(ga.get("possibleDuplicates")).isEmpty();
    assertThat(http.get("/api/stats").json().get("workItems").asLong())
        .isEqualTo(workItemsBefore - 1);
    JsonNode row = find(http.get("/api/grievances?size=100").json(), a);
    assertThat(row.get("reports").asInt()).isEqualTo(2);

    // The work item's status carries its reports along.
    assertThat(http.patch("/api/grievances/" + a, token, "{\"status\":\"in_progress\"}").status())
        .isEqualTo(200);
    JsonNode gbAfter = http.get("/api/grievances/" + b, token).json();
    assertThat(gbAfter.get("status").asText()).isEqualTo("in_progress");
    assertThat(
            gbAfter.get("history").get(gbAfter.get("history").size() - 1).get("comment").asText())
        .isEqualTo("follows #" + idA);

    long idFar = numericId(far);
    assertThat(http.patch("/api/grievances/" + a, token, "{\"mergeInto\":" + idA + "}").status())
        .isEqualTo(400);
    assertThat(http.patch("/api/grievances/" + b, token, "{\"mergeInto\":" + idFar + "}").status())
        .isEqualTo(409);
    assertThat(http.patch("/api/grievances/" + far, token, "{\"mergeInto\":" + idB + "}").status())
        .isEqualTo(409);
    assertThat(http.patch("/api/grievances/" + b, token, "{\"status\":\"resolved\"}").status())
        .isEqualTo(409);
    assertThat(http.patch("/api/grievances/" + far, token, "{\"mergeInto\":999999}").status())
        .isEqualTo(404);
  }

  // ---------------------------------------------------------------- phone photos and privacy

  static final double PHOTO_LATITUDE = 48.858222;
  static final double PHOTO_LONGITUDE = 2.2945;

  /** A multipart submission with {@code fields} as name, value pairs. */
  Http.Response submitForm(byte[] photo, String... fields) throws Exception {
    Http.Multipart form =
        new Http.Multipart().file("photo", "p.jpg", "application/octet-stream", photo);
    for (int i = 0; i < fields.length; i += 2) {
      form.field(fields[i], fields[i + 1]);
    }
    return http.postMultipart("/api/grievances", form);
  }

  /** Submits and returns the tracking id. */
  String submitFormOk(byte[] photo, String... fields) throws Exception {
    Http.Response r = submitForm(photo, fields);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("trackingId").asText();
  }

  static RgbImage decode(byte[] image) throws IOException {
    return RgbImage.fromBufferedImage(ImageIO.read(new ByteArrayInputStream(image)));
  }

  static void assertColour(RgbImage image, int y, int x, int[] rgb, int tolerance) {
    for (int c = 0; c < 3; c++) {
      assertThat(image.get(y, x, c))
          .as("pixel (%d, %d) channel %d", x, y, c)
          .isCloseTo(rgb[c], org.assertj.core.data.Offset.offset(tolerance));
    }
  }

  /** Checks both images of a grievance: clean, the stored copy, and of the displayed size. */
  byte[] assertServedClean(String id, String marker, int height, int width) throws Exception {
    byte[] photo = null;
    for (String kind : new String[] {"", "?annotated=true"}) {
      Http.Response r = http.get("/api/grievances/" + id + "/image" + kind);
      assertThat(r.status()).isEqualTo(200);
      byte[] served = r.bytes();
      assertThat(PhonePhotos.contains(served, marker.getBytes(StandardCharsets.UTF_8)))
          .as("marker in the served image%s", kind)
          .isFalse();
      assertThat(PhotoMetadata.read(served)).isEqualTo(PhotoMetadata.NONE);
      assertThat(PhonePhotos.metadataIn(served)).as("metadata in image%s", kind).isEmpty();
      assertThat(server.photos().read(PhotoStore.sha256(served)))
          .as("what is served is what is stored")
          .isEqualTo(served);
      RgbImage shown = decode(served);
      assertThat(shown.height()).isEqualTo(height);
      assertThat(shown.width()).isEqualTo(width);
      if (kind.isEmpty()) {
        photo = served;
      }
    }
    return photo;
  }

  /** No file the register keeps (photos, H2 database, scratch) holds {@code marker}. */
  void assertNothingStoredHolds(String marker) throws IOException {
    byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
    try (var files = Files.walk(tmp.resolve("data"))) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertThat(PhonePhotos.contains(Files.readAllBytes(f), needle))
            .as("%s holds the photo's metadata", f)
            .isFalse();
      }
    }
  }

  @Test
  void aPhonePhotoIsStoredAndServedUprightWithoutItsMetadataAndTheUploadIsDiscarded()
      throws Exception {
    String marker = "phone-marker-31c5";
    RgbImage upright = PhonePhotos.portrait(160, 120);
    byte[] upload = PhonePhotos.phoneJpeg(upright, PHOTO_LATITUDE, PHOTO_LONGITUDE, marker);
    assertThat(PhonePhotos.contains(upload, marker.getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(PhotoMetadata.read(upload).location()).isPresent();

    String id = submitFormOk(upload, "description", "pothole, from a phone held upright");

    JsonNode g = http.get("/api/grievances/" + id).json();
    assertThat(g.get("imageWidth").asInt()).isEqualTo(120);
    assertThat(g.get("imageHeight").asInt()).isEqualTo(160);
    assertThat(g.has("latitude")).as("no opt-in, no location").isFalse();
    assertThat(find(http.get("/api/grievances?size=100").json(), id).has("latitude")).isFalse();
    byte[] photo = assertServedClean(id, marker, 160, 120);
    // Upright: the top of the scene is at the top.
    RgbImage shown = decode(photo);
    assertColour(shown, 8, 8, PhonePhotos.TOP, 16);
    assertColour(shown, 150, 8, PhonePhotos.BOTTOM, 16);
    assertColour(shown, 40, 60, new int[] {220, 40, 30}, 24);

    assertThat(server.photos().exists(PhotoStore.sha256(upload)))
        .as("the upload itself is not kept")
        .isFalse();
    assertNothingStoredHolds(marker);
  }

  @Test
  void optInTakesThePhotosPositionAndOptOutPublishesNone() throws Exception {
    byte[] upload =
        PhonePhotos.phoneJpeg(
            PhonePhotos.portrait(96, 72), PHOTO_LATITUDE, PHOTO_LONGITUDE, "opt-marker");
    String in = submitFormOk(upload, "description", "in", "useLocationFromPhoto", "true");
    String out = submitFormOk(upload, "description", "out", "useLocationFromPhoto", "false");
    String silent = submitFormOk(upload, "description", "silent");
    String explicit =
        submitFormOk(upload, "description", "explicit", "latitude", "10.5", "longitude", "20.25");

    JsonNode g = http.get("/api/grievances/" + in, token).json();
    assertThat(g.get("latitude").asDouble())
        .isCloseTo(PHOTO_LATITUDE, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(g.get("longitude").asDouble())
        .isCloseTo(PHOTO_LONGITUDE, org.assertj.core.data.Offset.offset(1e-5));
    JsonNode page = http.get("/api/grievances?size=100").json();
    for (String id : List.of(out, silent)) {
      assertThat(http.get("/api/grievances/" + id).json().has("latitude")).isFalse();
      assertThat(http.get("/api/grievances/" + id, token).json().has("latitude")).isFalse();
      assertThat(find(page, id).has("latitude")).isFalse();
      assertThat(find(page, id).has("longitude")).isFalse();
    }
    // Explicit coordinates (the browser's position) are taken as given, not the photo's.
    JsonNode e = http.get("/api/grievances/" + explicit).json();
    assertThat(e.get("latitude").asDouble()).isEqualTo(10.5);
    assertThat(e.get("longitude").asDouble()).isEqualTo(20.25);
    // Opted in or not, the served photo keeps no position.
    assertServedClean(in, "opt-marker", 96, 72);
    assertServedClean(out, "opt-marker", 96, 72);
  }

  @Test
  void locationOptInRefusalsStoreNothing() throws Exception {
    long before = http.get("/api/stats").json().get("reports").asLong();
    Http.Response noGps =
        submitForm(TestModels.jpeg(60, 60, 14), "description", "d", "useLocationFromPhoto", "true");
    assertThat(noGps.status()).isEqualTo(400);
    assertThat(noGps.json().get("error").asText()).contains("no location");
    byte[] gps =
        PhonePhotos.phoneJpeg(PhonePhotos.portrait(40, 30), PHOTO_LATITUDE, PHOTO_LONGITUDE, null);
    Http.Response both =
        submitForm(
            gps,
            "description",
            "d",
            "useLocationFromPhoto",
            "true",
            "latitude",
            "1",
            "longitude",
            "2");
    assertThat(both.status()).isEqualTo(400);
    assertThat(both.json().get("error").asText()).contains("not both");
    Http.Response bad = submitForm(gps, "description", "d", "useLocationFromPhoto", "maybe");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").asText()).contains("useLocationFromPhoto");
    assertThat(http.get("/api/stats").json().get("reports").asLong()).isEqualTo(before);
  }

  @Test
  void detectSaysWhetherThePhotoHasALocationWithoutGivingIt() throws Exception {
    byte[] gps =
        PhonePhotos.phoneJpeg(PhonePhotos.portrait(64, 48), PHOTO_LATITUDE, PHOTO_LONGITUDE, null);
    Http.Response r = http.postRaw("/api/detect", gps, "image/jpeg");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("photoHasLocation").asBoolean()).isTrue();
    assertThat(r.toString()).doesNotContain("48.85").doesNotContain("2.29");
    JsonNode plain = http.postRaw("/api/detect", TestModels.jpeg(64, 48, 15), "image/jpeg").json();
    assertThat(plain.get("photoHasLocation").asBoolean()).isFalse();
  }

  @Test
  void detectionsOfAPhonePhotoAreInItsDisplayedFrame() throws Exception {
    byte[] upload =
        PhonePhotos.phoneJpeg(
            PhonePhotos.portrait(150, 110), PHOTO_LATITUDE, PHOTO_LONGITUDE, null);
    JsonNode phone = http.postRaw("/api/detect", upload, "image/jpeg").json();
    assertThat(phone.get("imageWidth").asInt()).isEqualTo(110);
    assertThat(phone.get("imageHeight").asInt()).isEqualTo(150);
    // The same pixels as a viewer shows them, losslessly and with no orientation tag to apply,
    // give exactly the same boxes.
    Path file = tmp.resolve("phone-displayed.jpg");
    Files.write(file, upload);
    byte[] displayed = png(ImageFiles.read(file));
    JsonNode plain = http.postRaw("/api/detect", displayed, "image/png").json();
    assertThat(phone.get("detections")).isNotEmpty().isEqualTo(plain.get("detections"));
  }

  @Test
  void aWebpUploadIsDetectedAndStoredAsACleanUprightJpeg() throws Exception {
    byte[] webp = PhonePhotos.webp();
    Http.Response r = http.postRaw("/api/detect", webp, "image/webp");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("imageWidth").asInt()).isEqualTo(96);
    assertThat(r.json().get("imageHeight").asInt()).isEqualTo(128);
    assertThat(r.json().get("photoHasLocation").asBoolean()).isTrue();
    assertThat(r.json().get("detections")).isNotEmpty();

    String id = submitFormOk(webp, "description", "from Android", "useLocationFromPhoto", "true");
    JsonNode g = http.get("/api/grievances/" + id, token).json();
    assertThat(g.get("latitude").asDouble())
        .isCloseTo(PhonePhotos.WEBP_LATITUDE, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(g.get("longitude").asDouble())
        .isCloseTo(PhonePhotos.WEBP_LONGITUDE, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(http.get("/api/grievances/" + id + "/image").header("Content-Type"))
        .isEqualTo("image/jpeg");
    RgbImage shown = decode(assertServedClean(id, PhonePhotos.WEBP_MARKER, 128, 96));
    assertColour(shown, 4, 4, PhonePhotos.TOP, 24);
    assertColour(shown, 124, 4, PhonePhotos.BOTTOM, 24);
    assertNothingStoredHolds(PhonePhotos.WEBP_MARKER);
  }

  /** An accepted format: how to write it, and the media type of its stored copy. */
  record AcceptedFormat(String name, String storedAs) {}

  static List<AcceptedFormat> acceptedFormats() {
    return List.of(
        new AcceptedFormat("baseline JPEG", "image/jpeg"),
        new AcceptedFormat("progressive JPEG", "image/jpeg"),
        new AcceptedFormat("CMYK JPEG", "image/jpeg"),
        new AcceptedFormat("PNG", "image/png"),
        new AcceptedFormat("GIF", "image/png"),
        new AcceptedFormat("BMP", "image/png"),
        new AcceptedFormat("WebP", "image/jpeg"));
  }

  static byte[] write(AcceptedFormat f, RgbImage scene) throws IOException {
    return switch (f.name()) {
      case "baseline JPEG" -> ImageFiles.jpegBytes(scene, 0.9f);
      case "progressive JPEG" -> PhonePhotos.progressiveJpeg(scene);
      case "CMYK JPEG" -> PhonePhotos.cmykJpeg(scene.height(), scene.width());
      case "PNG" -> PhonePhotos.encoded(scene, "png");
      case "GIF" -> PhonePhotos.encoded(scene, "gif");
      case "BMP" -> PhonePhotos.encoded(scene, "bmp");
      case "WebP" -> PhonePhotos.webp();
      default -> throw new IllegalArgumentException(f.name());
    };
  }

  @ParameterizedTest
  @MethodSource("acceptedFormats")
  void everyAcceptedFormatIsDetectedAndStoredAsTheRuleSays(AcceptedFormat format) throws Exception {
    byte[] upload = write(format, PhonePhotos.portrait(72, 56));
    RgbImage expected = ImageFiles.read(writeScratch(upload));
    Http.Response r = http.postRaw("/api/detect", upload, "application/octet-stream");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("imageWidth").asInt()).isEqualTo(expected.width());
    assertThat(r.json().get("imageHeight").asInt()).isEqualTo(expected.height());

    String id = submitFormOk(upload, "description", format.name());
    Http.Response photo = http.get("/api/grievances/" + id + "/image");
    assertThat(photo.header("Content-Type")).isEqualTo(format.storedAs());
    assertThat(ImageFormat.sniff(photo.bytes()).orElseThrow().mediaType())
        .isEqualTo(format.storedAs());
    assertThat(PhonePhotos.metadataIn(photo.bytes())).isEmpty();
    RgbImage stored = decode(photo.bytes());
    assertThat(stored.height()).isEqualTo(expected.height());
    assertThat(stored.width()).isEqualTo(expected.width());
    int tolerance = format.storedAs().equals("image/png") ? 0 : 12;
    for (int[] p : new int[][] {{4, 4}, {expected.height() - 4, expected.width() - 4}}) {
      int[] rgb = {
        expected.get(p[0], p[1], 0), expected.get(p[0], p[1], 1), expected.get(p[0], p[1], 2)
      };
      assertColour(stored, p[0], p[1], rgb, tolerance);
    }
  }

  Path writeScratch(byte[] bytes) throws IOException {
    Path f = Files.createTempFile(tmp, "upload-check-", ".img");
    Files.write(f, bytes);
    return f;
  }

  @Test
  void heicHeifAndAvifAreRefusedWith415NamingTheAcceptedFormats() throws Exception {
    long before = http.get("/api/stats").json().get("reports").asLong();
    List<String> accepted =
        List.of("image/jpeg", "image/png", "image/gif", "image/bmp", "image/webp");
    for (String[] c :
        new String[][] {{"heic", "HEIC"}, {"mif1", "HEIF"}, {"avif", "AVIF"}, {"mp42", null}}) {
      byte[] upload = PhonePhotos.isoMedia(c[0]);
      for (Http.Response r :
          List.of(
              http.postRaw("/api/detect", upload, "image/heic"),
              submitForm(upload, "description", "from an iPhone"))) {
        assertThat(r.status()).as(r.toString()).isEqualTo(415);
        String error = r.json().get("error").asText();
        assertThat(error).contains("JPEG, PNG, WebP, BMP or GIF");
        if (c[1] != null) {
          assertThat(error).contains(c[1]);
        }
        List<String> listed = new ArrayList<>();
        r.json().get("accepted").forEach(t -> listed.add(t.asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(accepted);
      }
    }
    assertThat(http.get("/api/stats").json().get("reports").asLong()).isEqualTo(before);
  }

  // ---------------------------------------------------------------- races

  /** The photos of one real submission, which grievances created in the workflow reuse. */
  private PhotoRef[] donorPhotos;

  private synchronized PhotoRef[] donorPhotos() throws Exception {
    if (donorPhotos == null) {
      long id = numericId(submitOk(TestModels.jpeg(60, 60, 40), "photo donor", null, null));
      donorPhotos =
          new PhotoRef[] {
            server.grievances().photo(id, false).orElseThrow(),
            server.grievances().photo(id, true).orElseThrow()
          };
    }
    return donorPhotos;
  }

  /**
   * Creates a grievance through the workflow, without the detection queue in front (one worker
   * would serialise what these tests want to run at once); it reuses one real submission's photos.
   */
  long createDirect(String description, Double lat, Double lon) throws Exception {
    return createDirect(description, lat, lon, null);
  }

  long createDirect(String description, Double lat, Double lon, String contact) throws Exception {
    PhotoRef[] photoRefs = donorPhotos();
    return server
        .grievances()
        .create(
            new NewGrievance(
                description,
                lat,
                lon,
                contact,
                photoRefs[0].sha256(),
                photoRefs[0].mediaType(),
                photoRefs[1].sha256(),
                60,
                60,
                "run/best",
                "[]",
                Map.of("pothole", 0.9)));
  }

  /**
   * Runs every task at once (released together by a barrier) and returns their results in order.
   */
  static <T> List<T> atOnce(List<Callable<T>> tasks) throws Exception {
    CyclicBarrier start = new CyclicBarrier(tasks.size());
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
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

  @Test
  @DisplayName("12 concurrent submissions of one spot: every pair is linked as possible duplicates")
  void concurrentSubmissionsOfOneSpotAreAllLinked() throws Exception {
    int n = 12;
    for (int round = 0; round < 3; round++) {
      // Twelve points on a 20 m circle (at most 40 m apart, inside the 50 m radius), around a
      // centre of its own for each round so that rounds and other tests do not meet.
      double lat = 47.3 + 0.01 * round;
      double lon = 8.5 + 0.0137 * round;
      List<Callable<Long>> tasks = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        double angle = 2 * Math.PI * i / n;
        double pLat = lat + GeoDistance.latitudeDegrees(20 * Math.sin(angle));
        double pLon = lon + GeoDistance.longitudeDegrees(20 * Math.cos(angle), lat);
        tasks.add(() -> createDirect("same pothole", pLat, pLon));
      }
      List<Long> ids = atOnce(tasks);
      for (long id : ids) {
        Set<Long> linked = new HashSet<>();
        server
            .grievances()
            .find(id)
            .orElseThrow()
            .possibleDuplicates()
            .forEach(d -> linked.add(d.id()));
        Set<Long> others = new HashSet<>(ids);
        others.remove(id);
        assertThat(linked).as("round %d: links of %d", round, id).isEqualTo(others);
      }
    }
  }

  @Test
  @DisplayName("A into B and B into A at once, ten times: one 200 and one 409 each, never a 500")
  void crossMergesAtOnceGiveOneMergeAndOneConflict() throws Exception {
    for (int round = 0; round < 10; round++) {
      long a = createDirect("cross a", null, null);
      long b = createDirect("cross b", null, null);
      List<Http.Response> answers =
          atOnce(
              List.of(
                  () -> http.patch("/api/grievances/" + a, token, "{\"mergeInto\":" + b + "}"),
                  () ->
                      http.patch("/api/grievances/" + b, otherToken, "{\"mergeInto\":" + a + "}")));
      List<Integer> codes = new ArrayList<>();
      answers.forEach(r -> codes.add(r.status()));
      assertThat(codes).as("round %d: %s", round, answers).containsExactlyInAnyOrder(200, 409);
      for (Http.Response r : answers) {
        if (r.status() == 409) {
          assertThat(r.json().get("error").asText()).contains("merged into");
        }
      }
      Long aInto = server.grievances().find(a).orElseThrow().mergedInto();
      Long bInto = server.grievances().find(b).orElseThrow().mergedInto();
      assertThat(aInto == null ^ bInto == null).as("exactly one is merged").isTrue();
      assertThat(aInto != null ? aInto : bInto).isEqualTo(aInto != null ? b : a);
    }
  }

  // ---------------------------------------------------------------- merge rules and versions

  JsonNode grievance(long id) throws Exception {
    return http.get("/api/grievances/" + id, token).json();
  }

  Http.Response patchIfMatch(long id, String tok, String ifMatch, String json) throws Exception {
    return http.send(
        http.request("/api/grievances/" + id)
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + tok)
            .header("If-Match", ifMatch)
            .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(json)));
  }

  @Test
  void mergeRulesKeepReportsInStepWithTheirWorkItem() throws Exception {
    long a = createDirect("rules a", null, null);
    long b = createDirect("rules b", null, null);
    Http.Response both =
        http.patch(
            "/api/grievances/" + b, token, "{\"mergeInto\":" + a + ",\"status\":\"rejected\"}");
    assertThat(both.status()).as(both.toString()).isEqualTo(400);
    assertThat(both.json().get("error").asText()).contains("not both");
    assertThat(grievance(b).has("mergedInto")).isFalse();
    assertThat(grievance(b).get("history").size()).isEqualTo(1);

    // An in-progress grievance does not join an open one: it would have to go back to open.
    assertThat(http.patch("/api/grievances/" + b, token, "{\"status\":\"in_progress\"}").status())
        .isEqualTo(200);
    Http.Response back = http.patch("/api/grievances/" + b, token, "{\"mergeInto\":" + a + "}");
    assertThat(back.status()).isEqualTo(409);
    assertThat(back.json().get("error").asText()).contains("merge " + a + " into " + b);

    // The open one joins the in-progress one and takes its status, and brings its reports along.
    long c = createDirect("rules c", null, null);
    assertThat(http.patch("/api/grievances/" + c, token, "{\"mergeInto\":" + a + "}").status())
        .isEqualTo(200);
    Http.Response joined = http.patch("/api/grievances/" + a, token, "{\"mergeInto\":" + b + "}");
    assertThat(joined.status()).as(joined.toString()).isEqualTo(200);
    for (long report : List.of(a, c)) {
      JsonNode g = grievance(report);
      assertThat(g.get("mergedInto").asLong()).isEqualTo(b);
      assertThat(g.get("status").asText()).isEqualTo("in_progress");
      JsonNode last = g.get("history").get(g.get("history").size() - 1);
      assertThat(last.get("field").asText()).isEqualTo("status");
      assertThat(last.get("comment").asText()).isEqualTo("follows #" + b);
    }
    assertThat(grievance(b).get("reports").toString()).isEqualTo("[" + a + "," + c + "]");

    // Finished grievances take no part in merges, either way.
    long rejected = createDirect("rules rejected", null, null);
    assertThat(
            http.patch("/api/grievances/" + rejected, token, "{\"status\":\"rejected\"}").status())
        .isEqualTo(200);
    Http.Response fromFinal =
        http.patch("/api/grievances/" + rejected, token, "{\"mergeInto\":" + b + "}");
    assertThat(fromFinal.status()).isEqualTo(409);
    assertThat(fromFinal.json().get("error").asText()).contains("final");
    long d = createDirect("rules d", null, null);
    Http.Response intoFinal =
        http.patch("/api/grievances/" + d, token, "{\"mergeInto\":" + rejected + "}");
    assertThat(intoFinal.status()).isEqualTo(409);
    assertThat(intoFinal.json().get("error").asText()).contains("final");

    // The work item's status carries its reports; a finished one is never reopened.
    assertThat(http.patch("/api/grievances/" + b, token, "{\"status\":\"resolved\"}").status())
        .isEqualTo(200);
    assertThat(grievance(a).get("status").asText()).isEqualTo("resolved");
    assertThat(grievance(c).get("status").asText()).isEqualTo("resolved");
    assertThat(grievance(rejected).get("status").asText()).isEqualTo("rejected");
    assertThat(http.patch("/api/grievances/" + a, token, "{\"status\":\"open\"}").status())
        .isEqualTo(409);
  }

  @Test
  @DisplayName("ETag on GET and PATCH; a PATCH with a stale If-Match is 412 and changes nothing")
  void ifMatchRefusesChangesBasedOnAStaleRead() throws Exception {
    long id = createDirect("versions", 12.5, 77.6, "ada@example.org");
    String path = "/api/grievances/" + id;
    // The public reads it by its tracking id (numeric ids are for officials).
    String publicPath = "/api/grievances/" + server.grievances().trackingId(id).orElseThrow();
    Http.Response official = http.get(path, token);
    String read = official.header("ETag");
    assertThat(read).matches("\"[0-9a-f]{32}\"");
    assertThat(http.get(publicPath, token).header("ETag"))
        .as("one view, one tag, whichever id names it")
        .isEqualTo(read);
    String publicTag = http.get(publicPath).header("ETag");
    assertThat(publicTag).as("the public view is another representation").isNotEqualTo(read);
    Http.Response notModified =
        http.send(
            http.request(path)
                .header("Authorization", "Bearer " + token)
                .header("If-None-Match", read)
                .GET());
    assertThat(notModified.status()).isEqualTo(304);
    Http.Response publicRead =
        http.send(http.request(publicPath).header("If-None-Match", read).GET());
    assertThat(publicRead.status()).as("never the officials' body for the public").isEqualTo(200);
    assertThat(publicRead.json().has("contact")).isFalse();

    Http.Response bo = patchIfMatch(id, otherToken, read, "{\"comment\":\"had a look\"}");
    assertThat(bo.status()).as(bo.toString()).isEqualTo(200);
    String now = bo.header("ETag");
    assertThat(now).isNotEqualTo(read).isEqualTo(http.get(path, token).header("ETag"));

    // Ada read it before Bo's comment: her change is refused and nothing changes.
    Http.Response ada = patchIfMatch(id, token, read, "{\"status\":\"rejected\"}");
    assertThat(ada.status()).isEqualTo(412);
    assertThat(ada.json().get("status").asInt()).isEqualTo(412);
    assertThat(ada.json().get("error").asText()).contains("changed since");
    assertThat(patchIfMatch(id, token, publicTag, "{\"comment\":\"x\"}").status()).isEqualTo(412);
    assertThat(grievance(id).get("status").asText()).isEqualTo("open");
    assertThat(grievance(id).get("history").size()).isEqualTo(2);

    assertThat(patchIfMatch(id, token, "W/" + now, "{\"comment\":\"weak\"}").status())
        .as("weak tags never match")
        .isEqualTo(412);
    assertThat(patchIfMatch(id, token, "5", "{\"comment\":\"unquoted\"}").status()).isEqualTo(400);
    assertThat(patchIfMatch(id, token, "\"x\",", "{\"comment\":\"dangling\"}").status())
        .isEqualTo(400);
    Http.Response listed = patchIfMatch(id, token, "\"old\", " + now, "{\"comment\":\"list\"}");
    assertThat(listed.status()).isEqualTo(200);
    Http.Response fromPublic =
        patchIfMatch(
            id, token, http.get(publicPath).header("ETag"), "{\"comment\":\"public tag\"}");
    assertThat(fromPublic.status())
        .as("a tag of the public view names the same state")
        .isEqualTo(200);
    assertThat(patchIfMatch(id, token, "*", "{\"comment\":\"any\"}").status()).isEqualTo(200);
    assertThat(http.patch(path, token, "{\"comment\":\"no precondition\"}").status())
        .as("If-Match is optional")
        .isEqualTo(200);
    assertThat(patchIfMatch(999_999, token, "\"1\"", "{\"comment\":\"x\"}").status())
        .isEqualTo(404);

    // Changes made by others show too: a report merged into it, a new possible duplicate.
    String before = http.get(path, token).header("ETag");
    long report = createDirect("versions report", null, null);
    assertThat(
            http.patch("/api/grievances/" + report, token, "{\"mergeInto\":" + id + "}").status())
        .isEqualTo(200);
    String merged = http.get(path, token).header("ETag");
    assertThat(merged).isNotEqualTo(before);
    createDirect("versions neighbour", 12.5, 77.6);
    assertThat(http.get(path, token).header("ETag")).isNotEqualTo(merged);
  }

  // ---------------------------------------------------------------- validation

  Http.Response submitFields(String... nameValue) throws Exception {
    Http.Multipart form =
        new Http.Multipart().file("photo", "p.jpg", "image/jpeg", TestModels.jpeg(60, 60, 42));
    for (int i = 0; i < nameValue.length; i += 2) {
      form.field(nameValue[i], nameValue[i + 1]);
    }
    return http.postMultipart("/api/grievances", form);
  }

  /** A refusal as the API promises it: 400, JSON, a message and nothing about the server inside. */
  void assertPlain400(Http.Response r, String what) {
    assertThat(r.status()).as(what + ": " + r).isEqualTo(400);
    assertThat(r.header("Content-Type")).as(what).startsWith("application/json");
    JsonNode j = r.json();
    assertThat(j.get("status").asInt()).as(what).isEqualTo(400);
    String error = j.get("error").asText();
    assertThat(error).as(what).isNotBlank();
    assertThat(error)
        .as(what)
        .doesNotContain("org.", "java.", "com.fasterxml", "Exception", "\tat ", tmp.toString());
  }

  @Test
  @DisplayName(
      "NUL, control and invisible text, NaN, infinities, 1e309, 90.0000001, far dates: 400")
  void badInputIsA400WithAPlainMessage() throws Exception {
    long reports = http.get("/api/stats").json().get("reports").asLong();
    for (String text :
        List.of(
            "pothole\u0000",
            "\u0000",
            "a\u0007b",
            "\u200B\u200B",
            "\u200B \uFEFF\u2060",
            "\u3164")) {
      String shown =
          text.codePoints().mapToObj(cp -> String.format("U+%04X", cp)).toList().toString();
      assertPlain400(submitFields("description", text), "description " + shown);
      assertPlain400(submitFields("description", "ok", "contact", text), "contact " + shown);
    }
    for (String[] at :
        new String[][] {
          {"NaN", "0"}, {"Infinity", "0"}, {"-Infinity", "0"}, {"1e309", "0"}, {"90.0000001", "0"},
          {"-90.0000001", "0"}, {"0", "180.0000001"}, {"0", "-1e309"}, {"0x1p3", "0"}, {"1f", "0"},
          {"1d", "0"}, {"1,5", "0"}, {"0", "NaN"}
        }) {
      assertPlain400(
          submitFields("description", "d", "latitude", at[0], "longitude", at[1]),
          "at " + at[0] + ", " + at[1]);
    }
    assertThat(http.get("/api/stats").json().get("reports").asLong()).isEqualTo(reports);

    for (String query :
        List.of(
            "from=0000-01-01",
            "to=0000-12-31",
            "from=" + encode("+10000-01-01T00:00:00Z"),
            "to=" + encode("+294277-01-01T00:00:00Z"),
            "from=" + encode("-999999999-01-01T00:00:00Z"),
            "from=" + encode("9999-12-31T23:00:00-18:00"),
            "from=2024-02-30",
            "category=" + encode("pot\u0000hole"),
            "category=" + encode("\u200B"),
            "status=" + encode("open\u0000"))) {
      assertPlain400(http.get("/api/grievances?" + query), query);
    }
    assertThat(http.get("/api/grievances?from=0001-01-01&to=9999-12-31").status())
        .as("the widest range is fine")
        .isEqualTo(200);

    long id = createDirect("validated patches", null, null);
    String path = "/api/grievances/" + id;
    for (String body :
        List.of(
            "{\"comment\":\"a\\u0000b\"}",
            "{\"comment\":\"\\u200b\"}",
            "{\"comment\":\"\\ud800\"}",
            "{\"mergeInto\":1.5}",
            "{\"mergeInto\":1e309}",
            "{\"mergeInto\":99999999999999999999}",
            "{\"mergeInto\":\"abc\"}",
            "{\"status\":\"open\\u0000\"}",
            "{\"status\":\"in_progress\",\"status\":\"rejected\"}",
            "{\"categories\":\"pothole\"}",
            "{\"owner\":\"me\"}",
            "{\"comment\":\"x\"} trailing",
            "[]",
            "{\"comment\":")) {
      assertPlain400(http.patch(path, token, body), body);
    }
    assertThat(http.patch(path, token, "{\"owner\":\"me\"}").json().get("error").asText())
        .contains("'owner'");
    assertThat(http.patch(path, token, "{\"mergeInto\":1.5}").json().get("error").asText())
        .contains("mergeInto");
    assertThat(grievance(id).get("history").size()).isEqualTo(1);

    // Line breaks, tabs and any script are text like any other, stored as they came.
    String text = "Schlagloch\n\tvor Nr. 5 – 道路の穴 🚧";
    String ok = submitOk(TestModels.jpeg(60, 60, 43), text, null, null);
    assertThat(http.get("/api/grievances/" + ok).json().get("description").asText())
        .isEqualTo(text);
  }

  // ---------------------------------------------------------------- what the public sees

  @Test
  void thePublicSeesNoNamesCommentsIdsContactOrExactLocation() throws Exception {
    Http.Response created =
        submit(TestModels.jpeg(60, 70, 41), "lamp out", 52.520008, 13.404954, "me@example.org");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String tracking = created.json().get("trackingId").asText();
    String path = "/api/grievances/" + tracking;
    assertThat(
            http.patch(path, token, "{\"status\":\"in_progress\",\"comment\":\"ask Bo\"}").status())
        .isEqualTo(200);

    JsonNode pub = http.get(path).json();
    assertThat(pub.get("trackingId").asText()).isEqualTo(tracking);
    for (String field : List.of("id", "contact", "mergedInto", "reports", "possibleDuplicates")) {
      assertThat(pub.has(field)).as("public %s", field).isFalse();
    }
    assertThat(pub.get("latitude").asDouble()).isEqualTo(52.52);
    assertThat(pub.get("longitude").asDouble()).isEqualTo(13.405);
    assertThat(pub.get("status").asText()).isEqualTo("in_progress");
    JsonNode history = pub.get("history");
    assertThat(history.size()).isEqualTo(2);
    assertThat(history.get(0).get("actor").asText()).isEqualTo("citizen");
    assertThat(history.get(1).get("actor").asText()).isEqualTo("official");
    assertThat(history.get(1).get("to").asText()).isEqualTo("in_progress");
    for (JsonNode e : history) {
      assertThat(e.has("comment")).isFalse();
    }
    assertThat(pub.get("links").get("self").asText()).isEqualTo(path);
    String publicText = pub.toString();
    assertThat(publicText).doesNotContain("Ada Official", "ask Bo", "me@example.org", "520008");

    JsonNode row = find(http.get("/api/grievances?size=100").json(), tracking);
    assertThat(row.has("id")).isFalse();
    assertThat(row.has("contact")).isFalse();
    assertThat(row.get("latitude").asDouble()).isEqualTo(52.52);
    assertThat(row.get("longitude").asDouble()).isEqualTo(13.405);

    // Officials see it all, by tracking id or numeric id.
    JsonNode off = http.get(path, token).json();
    long id = off.get("id").asLong();
    assertThat(off.get("trackingId").asText()).isEqualTo(tracking);
    assertThat(off.get("latitude").asDouble()).isEqualTo(52.520008);
    assertThat(off.get("contact").asText()).isEqualTo("me@example.org");
    assertThat(off.get("history").get(1).get("actor").asText()).isEqualTo("Ada Official");
    assertThat(off.get("history").get(1).get("comment").asText()).isEqualTo("ask Bo");
    assertThat(http.get("/api/grievances/" + id, token).json().get("trackingId").asText())
        .isEqualTo(tracking);
    JsonNode offRow = find(http.get("/api/grievances?size=100", token).json(), tracking);
    assertThat(offRow.get("id").asLong()).isEqualTo(id);
    assertThat(offRow.get("latitude").asDouble()).isEqualTo(52.520008);

    // Numeric ids are not for the public, and answer nothing about existence.
    for (String numeric : List.of("/api/grievances/" + id, "/api/grievances/999999")) {
      Http.Response r = http.get(numeric);
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.json().get("error").asText()).contains("tracking id");
      assertThat(http.get(numeric + "/image").status()).isEqualTo(401);
    }
    // Tracking ids are random: two submissions share no prefix worth guessing from.
    String other = submitOk(TestModels.jpeg(60, 70, 42), "another", null, null);
    assertThat(other).matches("[a-z2-7]{26}").isNotEqualTo(tracking);
  }

  @Test
  void photosOfRejectedAndMergedGrievancesAreForOfficialsOnlyAndNoSharedCacheKeepsAny()
      throws Exception {
    String kept = submitOk(TestModels.jpeg(60, 70, 43), "kept", null, null);
    String rejected = submitOk(TestModels.jpeg(60, 70, 44), "rejected later", null, null);
    String merged = submitOk(TestModels.jpeg(60, 70, 45), "merged later", null, null);
    for (String kind : List.of("", "?annotated=true")) {
      Http.Response r = http.get("/api/grievances/" + rejected + "/image" + kind);
      assertThat(r.status()).isEqualTo(200);
      String cache = r.header("Cache-Control");
      assertThat(cache)
          .isEqualTo("private, max-age=" + RegisterServer.PUBLIC_PHOTO_MAX_AGE_SECONDS);
      assertThat(cache).doesNotContain("public").doesNotContain("immutable");
    }
    assertThat(
            http.patch("/api/grievances/" + rejected, token, "{\"status\":\"rejected\"}").status())
        .isEqualTo(200);
    assertThat(
            http.patch(
                    "/api/grievances/" + merged, token, "{\"mergeInto\":" + numericId(kept) + "}")
                .status())
        .isEqualTo(200);
    for (String hidden : List.of(rejected, merged)) {
      for (String kind : List.of("", "?annotated=true")) {
        String path = "/api/grievances/" + hidden + "/image" + kind;
        Http.Response pub = http.get(path);
        assertThat(pub.status()).as(path).isEqualTo(404);
        assertThat(pub.json().get("error").asText()).contains("not public");
        Http.Response off = http.get(path, token);
        assertThat(off.status()).as(path).isEqualTo(200);
        assertThat(off.header("Cache-Control")).isEqualTo("private, no-store");
      }
      // The grievance itself still answers its tracking id (its citizen follows it) ...
      assertThat(http.get("/api/grievances/" + hidden).status()).isEqualTo(200);
      // ... but the public list leaves it out.
      assertThat(ids(http.get("/api/grievances?size=100").json())).doesNotContain(hidden);
      assertThat(ids(http.get("/api/grievances?size=100", token).json())).contains(hidden);
    }
    assertThat(http.get("/api/grievances/" + kept + "/image").status()).isEqualTo(200);
    assertThat(http.get("/api/grievances?status=rejected").json().get("total").asLong()).isZero();
    assertThat(ids(http.get("/api/grievances?status=rejected&size=100", token).json()))
        .contains(rejected);
    // Merge history shows the public no ids of other grievances.
    for (JsonNode e : http.get("/api/grievances/" + merged).json().get("history")) {
      assertThat(e.has("to") && e.get("field").asText().equals("merged_into")).isFalse();
    }
    // JSON answers are never kept by a shared cache either.
    Http.Response json = http.get("/api/grievances/" + kept, token);
    assertThat(json.header("Cache-Control")).isEqualTo("private, no-cache");
    assertThat(json.header("Vary")).isEqualTo("Authorization");
  }

  @Test
  void grievancesStoredBeforeTrackingIdsGetOneAtStartUp() throws Exception {
    String old = submitOk(TestModels.jpeg(60, 70, 46), "from before V4", null, null);
    long id = numericId(old);
    server
        .database()
        .inTransaction(
            c -> {
              try (var u =
                  c.prepareStatement("UPDATE grievance SET tracking_id = NULL WHERE id = ?")) {
                u.setLong(1, id);
                return u.executeUpdate();
              }
            });
    assertThat(server.grievances().assignTrackingIds()).isEqualTo(1);
    String given = server.grievances().trackingId(id).orElseThrow();
    assertThat(given).matches("[a-z2-7]{26}").isNotEqualTo(old);
    assertThat(http.get("/api/grievances/" + given).json().get("description").asText())
        .isEqualTo("from before V4");
    assertThat(http.get("/api/grievances/" + old).status()).isEqualTo(404);
    assertThat(server.grievances().assignTrackingIds()).isZero();
  }

  // ---------------------------------------------------------------- annotations and review

  static final String TWO_BOXES =
      "{\"reviewed\": true, \"boxes\": ["
          + "{\"class\": \"pothole\", \"box\": {\"xmin\": 10, \"ymin\": 20, \"xmax\": 50.5,"
          + " \"ymax\": 60}},"
          + " {\"class\": \"graffiti\", \"box\": {\"xmin\": 0, \"ymin\": 0, \"xmax\": 160,"
          + " \"ymax\": 120}}]}";

  @Test
  @DisplayName(
      "annotations start as the detector's proposal; a save is audited, tagged, and guarded by"
          + " If-Match")
  void annotationsStartFromTheDetectorAndSavesAreAuditedAndVersioned() throws Exception {
    String trackingId = submitOk(TestModels.jpeg(120, 160, 60), "boxes to review", null, null);
    long id = numericId(trackingId);
    String path = "/api/grievances/" + id + "/annotations";

    Http.Response first = http.get(path, token);
    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    JsonNode proposal = first.json();
    assertThat(proposal.get("source").asText()).isEqualTo("detector");
    assertThat(proposal.get("reviewed").asBoolean()).isFalse();
    assertThat(proposal.get("imageWidth").asInt()).isEqualTo(160);
    assertThat(proposal.get("imageHeight").asInt()).isEqualTo(120);
    assertThat(proposal.has("updatedBy")).isFalse();
    // The proposal: every detection (tag threshold 0 here), clipped to the photo, same order.
    JsonNode detections = grievance(id).get("detections");
    JsonNode boxes = proposal.get("boxes");
    assertThat(boxes.size()).isPositive().isLessThanOrEqualTo(detections.size());
    for (JsonNode b : boxes) {
      assertThat(b.fieldNames()).toIterable().containsExactly("class", "box");
      JsonNode box = b.get("box");
      assertThat(box.get("xmin").asDouble()).isBetween(0.0, 160.0);
      assertThat(box.get("xmax").asDouble())
          .isBetween(0.0, 160.0)
          .isGreaterThan(box.get("xmin").asDouble());
      assertThat(box.get("ymin").asDouble()).isBetween(0.0, 120.0);
      assertThat(box.get("ymax").asDouble())
          .isBetween(0.0, 120.0)
          .isGreaterThan(box.get("ymin").asDouble());
    }
    JsonNode d0 = detections.get(0);
    assertThat(boxes.get(0).get("class").asText()).isEqualTo(d0.get("class").asText());
    assertThat(boxes.get(0).at("/box/xmin").asDouble())
        .isEqualTo(Math.max(0, Math.min(160, d0.at("/box/xmin").asDouble())));
    String proposalTag = first.header("ETag");
    assertThat(proposalTag).isNotBlank();
    // The proposal as it is is a valid save (what an official who agrees with it does).
    assertThat(
            http.put(path, token, "{\"reviewed\": false, \"boxes\": " + boxes + "}", proposalTag)
                .status())
        .isEqualTo(200);
    String wip = http.get(path, token).header("ETag");

    Http.Response saved = http.put(path, token, TWO_BOXES, wip);
    assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
    JsonNode a = saved.json();
    assertThat(a.get("source").asText()).isEqualTo("official");
    assertThat(a.get("reviewed").asBoolean()).isTrue();
    assertThat(a.get("reviewedBy").asText()).isEqualTo("Ada Official");
    assertThat(a.get("updatedBy").asText()).isEqualTo("Ada Official");
    assertThat(a.get("reviewedAt").asText()).isEqualTo(a.get("updatedAt").asText());
    assertThat(a.get("boxes").toString())
        .as("exactly the boxes sent, numbers as pixels")
        .isEqualTo(
            "[{\"class\":\"pothole\",\"box\":{\"xmin\":10.0,\"ymin\":20.0,\"xmax\":50.5,"
                + "\"ymax\":60.0}},{\"class\":\"graffiti\",\"box\":{\"xmin\":0.0,\"ymin\":0.0,"
                + "\"xmax\":160.0,\"ymax\":120.0}}]");
    Http.Response read = http.get(path, token);
    assertThat(read.json()).isEqualTo(a);
    assertThat(read.header("ETag")).isEqualTo(saved.header("ETag"));
    Http.Response unchanged =
        http.send(
            http.request(path)
                .header("Authorization", "Bearer " + token)
                .header("If-None-Match", saved.header("ETag"))
                .GET());
    assertThat(unchanged.status()).isEqualTo(304);

    JsonNode history = grievance(id).get("history");
    JsonNode last = history.get(history.size() - 1);
    assertThat(last.get("field").asText()).isEqualTo("annotations");
    assertThat(last.get("actor").asText()).isEqualTo("Ada Official");
    assertThat(last.get("to").asText()).isEqualTo("2 boxes (graffiti 1, pothole 1), reviewed");
    JsonNode before = history.get(history.size() - 2);
    assertThat(before.get("from").asText()).isEqualTo("detector");
    assertThat(before.get("to").asText()).endsWith(", in progress");

    // A save based on an older read is refused and changes nothing.
    Http.Response stale = http.put(path, otherToken, "{\"reviewed\": true, \"boxes\": []}", wip);
    assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
    assertThat(http.get(path, token).json()).isEqualTo(a);
    assertThat(grievance(id).get("history").size()).isEqualTo(history.size());

    // Work in progress by another official: no reviewer any more, and no If-Match is needed.
    Http.Response wip2 = http.put(path, otherToken, "{\"reviewed\": false, \"boxes\": []}", null);
    assertThat(wip2.status()).as(wip2.toString()).isEqualTo(200);
    assertThat(wip2.json().get("updatedBy").asText()).isEqualTo("Bo");
    assertThat(wip2.json().has("reviewedBy")).isFalse();
    assertThat(wip2.json().get("boxes").size()).isZero();
    // By tracking id too, and the public sees the audit event without the official's name.
    assertThat(http.get("/api/grievances/" + trackingId + "/annotations", token).json())
        .isEqualTo(wip2.json());
    JsonNode publicLast = http.get("/api/grievances/" + trackingId).json().get("history");
    assertThat(publicLast.get(publicLast.size() - 1).get("actor").asText()).isEqualTo("official");
  }

  static List<Object[]> badAnnotations() {
    String ok =
        "{\"class\": \"pothole\", \"box\": {\"xmin\": 1, \"ymin\": 1, \"xmax\": 9, \"ymax\": 9}}";
    String many = String.join(", ", java.util.Collections.nCopies(301, ok));
    return List.of(
        new Object[] {
          "{\"reviewed\": true, \"boxes\": ["
              + ok
              + ", "
              + ok
              + ", {\"class\": \"pothole\", \"box\": {\"xmin\": 1, \"ymin\": 1, \"xmax\": 161,"
              + " \"ymax\": 9}}]}",
          "boxes[2].box.xmax",
          "[0, 160]"
        },
        new Object[] {
          "{\"reviewed\": true, \"boxes\": [{\"class\": \"pothole\", \"box\": {\"xmin\": -1,"
              + " \"ymin\": 1, \"xmax\": 9, \"ymax\": 9}}]}",
          "boxes[0].box.xmin",
          "inside the photo"
        },
        new Object[] {
          "{\"reviewed\": true, \"boxes\": [{\"class\": \"pothole\", \"box\": {\"xmin\": 1,"
              + " \"ymin\": 1, \"xmax\": 9, \"ymax\": 121}}]}",
          "boxes[0].box.ymax",
          "[0, 120]"
        },
        new Object[] {
          "{\"reviewed\": true, \"boxes\": [{\"class\": \"pothole\", \"box\": {\"xmin\": 5,"
              + " \"ymin\": 1, \"xmax\": 5, \"ymax\": 9}}]}",
          "boxes[0].box.xmax",
          "positive width"
        },
        new Object[] {
          "{\"reviewed\": true, \"boxes\": ["
              + ok
              + ", {\"class\": \"pothole\", \"box\":"
              + " {\"xmin\": 1, \"ymin\": 9, \"xmax\": 5, \"ymax\": 2}}]}",
          "boxes[1].box.ymax",
          "positive height"
        },
        new Object[] {
          "{\"reviewed\": true, \"boxes\": [{\"class\": \"dragon\", \"box\": {\"xmin\": 1,"
              + " \"ymin\": 1, \"xmax\": 9, \"ymax\": 9}}]}",
          "boxes[0].class",
          "[pothole, graffiti]"
        },
        new Object[] {
          "{\"reviewed\": true, \"boxes\": [{\"box\": {\"xmin\": 1, \"ymin\": 1, \"xmax\": 9,"
              + " \"ymax\": 9}}]}",
          "boxes[0].class",
          "missing"
        },
        new Object[] {
          "{\"reviewed\": true, \"boxes\": [{\"class\": \"pothole\"}]}", "boxes[0].box", "missing"
        },
        new Object[] {
          "{\"reviewed\": true, \"boxes\": [{\"class\": \"pothole\", \"box\": {\"xmin\": 1,"
              + " \"ymin\": 1, \"xmax\": 9}}]}",
          "boxes[0].box.ymax",
          "missing"
        },
        new Object[] {
          "{\"reviewed\": true, \"boxes\": [{\"class\": \"pothole\", \"score\": 0.9, \"box\":"
              + " {\"xmin\": 1, \"ymin\": 1, \"xmax\": 9, \"ymax\": 9}}]}",
          "boxes[0].score",
          "unknown field"
        },
        new Object[] {
          "{\"reviewed\": true, \"boxes\": [{\"class\": \"pothole\", \"box\": {\"xmin\": 1,"
              + " \"ymin\": 1, \"xmax\": 9, \"ymax\": 9, \"w\": 8}}]}",
          "boxes[0].box.w",
          "unknown field"
        },
        new Object[] {
          "{\"reviewed\": true, \"boxes\": [], \"comment\": \"x\"}", "comment", "unknown field"
        },
        new Object[] {
          "{\"reviewed\": true, \"boxes\": [{\"class\": \"pothole\", \"box\": {\"xmin\": \"1\","
              + " \"ymin\": 1, \"xmax\": 9, \"ymax\": 9}}]}",
          "boxes[0].box.xmin",
          "a number of pixels"
        },
        new Object[] {"{\"reviewed\": \"yes\", \"boxes\": []}", "reviewed", "true or false"},
        new Object[] {"{\"boxes\": []}", "reviewed", "missing"},
        new Object[] {"{\"reviewed\": true}", "boxes", "missing"},
        new Object[] {"{\"reviewed\": true, \"boxes\": {}}", "boxes", "an array"},
        new Object[] {"{\"reviewed\": true, \"boxes\": [" + many + "]}", "boxes", "at most 300"},
        new Object[] {"{\"reviewed\": true, \"boxes\": [] ", null, "JSON object"},
        new Object[] {"[]", null, "JSON object"});
  }

  long annotationTarget;

  @ParameterizedTest
  @MethodSource("badAnnotations")
  @DisplayName("a refused annotation is a 400 naming the field, and saves nothing")
  void badAnnotationsAreRefusedNamingTheField(String body, String field, String message)
      throws Exception {
    if (annotationTarget == 0) {
      annotationTarget =
          numericId(submitOk(TestModels.jpeg(120, 160, 61), "bad boxes", null, null));
    }
    String path = "/api/grievances/" + annotationTarget + "/annotations";
    Http.Response r = http.put(path, token, body, null);
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.json().get("error").asText()).contains(message);
    assertPlain400(r, "annotation " + field);
    if (field == null) {
      assertThat(r.json().has("field")).isFalse();
    } else {
      assertThat(r.json().get("field").asText()).isEqualTo(field);
      assertThat(r.json().get("error").asText()).contains(field);
    }
    assertThat(http.get(path, token).json().get("source").asText()).isEqualTo("detector");
    assertThat(grievance(annotationTarget).get("history").size()).isEqualTo(1);
  }

  @Test
  void annotationsAreForOfficialsOnly() throws Exception {
    String trackingId = submitOk(TestModels.jpeg(60, 60, 62), "private boxes", null, null);
    long id = numericId(trackingId);
    for (String ref : List.of(trackingId, Long.toString(id))) {
      String path = "/api/grievances/" + ref + "/annotations";
      for (String tok : java.util.Arrays.asList(null, "not-a-token")) {
        Http.Response get = tok == null ? http.get(path) : http.get(path, tok);
        Http.Response put = http.put(path, tok, "{\"reviewed\": true, \"boxes\": []}", null);
        for (Http.Response r : List.of(get, put)) {
          assertThat(r.status()).as(r.toString()).isEqualTo(401);
          assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
          assertThat(r.json().get("error").asText()).isNotBlank();
        }
      }
    }
    assertThat(http.get("/api/grievances/999999/annotations", token).status()).isEqualTo(404);
    assertThat(
            http.put(
                    "/api/grievances/999999/annotations",
                    token,
                    "{\"reviewed\": true, \"boxes\": []}",
                    null)
                .status())
        .isEqualTo(404);
    assertThat(http.get("/api/grievances?review=needed").status()).isEqualTo(401);
    assertThat(http.get("/api/grievances?review=maybe", token).status()).isEqualTo(400);
    assertThat(grievance(id).get("history").size()).as("nothing audited").isEqualTo(1);
  }

  long createWithPriority(String description, Double priority) throws Exception {
    PhotoRef[] photoRefs = donorPhotos();
    return server
        .grievances()
        .create(
            new NewGrievance(
                description,
                null,
                null,
                null,
                photoRefs[0].sha256(),
                photoRefs[0].mediaType(),
                photoRefs[1].sha256(),
                60,
                60,
                "run/best",
                "[]",
                Map.of("pothole", 0.9),
                priority,
                null));
  }

  /** The numeric ids of a list answer, in order. */
  static List<Long> numericIds(JsonNode page) {
    List<Long> out = new ArrayList<>();
    page.get("items").forEach(i -> out.add(i.get("id").asLong()));
    return out;
  }

  @Test
  @DisplayName(
      "review=needed lists unreviewed grievances by priority (not rejected ones); review=done the"
          + " reviewed")
  void reviewQueueIsOrderedByPriorityAndLeavesReviewedAndRejectedOut() throws Exception {
    // Above any computed priority (< 1.5), so these lead the queue of the shared server.
    long low = createWithPriority("queue low", 5.0);
    long high = createWithPriority("queue high", 7.0);
    long middle = createWithPriority("queue middle", 6.0);
    long reviewed = createWithPriority("queue reviewed", 8.0);
    long inProgress = createWithPriority("queue in progress", 9.0);
    long rejected = createWithPriority("queue rejected", 10.0);
    String empty = "{\"reviewed\": %s, \"boxes\": []}";
    assertThat(
            http.put(
                    "/api/grievances/" + reviewed + "/annotations",
                    token,
                    empty.formatted(true),
                    null)
                .status())
        .isEqualTo(200);
    assertThat(
            http.put(
                    "/api/grievances/" + inProgress + "/annotations",
                    token,
                    empty.formatted(false),
                    null)
                .status())
        .isEqualTo(200);
    assertThat(
            http.patch("/api/grievances/" + rejected, token, "{\"status\": \"rejected\"}").status())
        .isEqualTo(200);

    JsonNode queue = http.get("/api/grievances?review=needed&size=5", token).json();
    assertThat(numericIds(queue)).startsWith(inProgress, high, middle, low);
    assertThat(numericIds(queue)).doesNotContain(reviewed, rejected);
    assertThat(queue.get("items").get(0).get("reviewPriority").asDouble()).isEqualTo(9.0);
    assertThat(queue.get("items").get(0).get("reviewed").asBoolean()).isFalse();
    JsonNode all = http.get("/api/grievances?review=needed&size=100", token).json();
    List<Double> priorities = new ArrayList<>();
    all.get("items").forEach(i -> priorities.add(i.path("reviewPriority").asDouble(-1)));
    assertThat(priorities)
        .as("highest first, unknown last")
        .isSortedAccordingTo((x, y) -> Double.compare(y, x));

    JsonNode done = http.get("/api/grievances?review=done&size=100", token).json();
    assertThat(numericIds(done)).contains(reviewed).doesNotContain(low, inProgress);
    assertThat(
            find(done, grievance(reviewed).get("trackingId").asText()).get("reviewed").asBoolean())
        .isTrue();
    // Filters combine with the queue, and the public list shows no review fields.
    assertThat(numericIds(http.get("/api/grievances?review=needed&status=rejected", token).json()))
        .isEmpty();
    assertThat(
            http.get("/api/grievances?size=100").json().get("items").get(0).has("reviewPriority"))
        .isFalse();
  }

  @Test
  void submissionsGetTheirReviewPriorityAndOlderOnesGetItAtStartUp() throws Exception {
    long id = numericId(submitOk(TestModels.jpeg(120, 160, 63), "prioritised", null, null));
    JsonNode g = grievance(id);
    List<org.grievance.ssd.decode.Detection> detections =
        DetectionWriter.fromJson(
                ApiJson.MAPPER
                    .createObjectNode()
                    .put("schema", DetectionWriter.SCHEMA)
                    .put("imageWidth", 160)
                    .put("imageHeight", 120)
                    .set("detections", g.get("detections")),
                "test")
            .detections();
    double expected =
        org.grievance.ssd.register.workflow.ReviewPriority.DEFAULT.of(
            detections, org.grievance.ssd.register.workflow.TagThresholds.uniform(0.0));
    assertThat(storedPriority(id)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));

    server
        .database()
        .inTransaction(
            c -> {
              try (var u =
                  c.prepareStatement("UPDATE grievance SET review_priority = NULL WHERE id = ?")) {
                u.setLong(1, id);
                return u.executeUpdate();
              }
            });
    assertThat(storedPriority(id)).isNull();
    int assigned =
        server
            .grievances()
            .assignReviewPriorities(
                org.grievance.ssd.register.workflow.ReviewPriority.DEFAULT,
                org.grievance.ssd.register.workflow.TagThresholds.uniform(0.0));
    assertThat(assigned).isPositive();
    assertThat(storedPriority(id)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(
            server
                .grievances()
                .assignReviewPriorities(
                    org.grievance.ssd.register.workflow.ReviewPriority.DEFAULT,
                    org.grievance.ssd.register.workflow.TagThresholds.uniform(0.0)))
        .isZero();
  }

  @Test
  void aGrievanceWhoseStoredDetectionsCannotBeReadDoesNotStopTheBackfill() throws Exception {
    long broken = createWithPriority("unreadable detections", null);
    setDetections(broken, "{oops");
    try {
      org.grievance.ssd.register.workflow.TagThresholds half =
          org.grievance.ssd.register.workflow.TagThresholds.uniform(0.5);
      server
          .grievances()
          .assignReviewPriorities(org.grievance.ssd.register.workflow.ReviewPriority.DEFAULT, half);
      assertThat(storedPriority(broken)).as("left without one, sorting last").isNull();
    } finally {
      setDetections(broken, "[]");
    }
    assertThat(
            server
                .grievances()
                .assignReviewPriorities(
                    org.grievance.ssd.register.workflow.ReviewPriority.DEFAULT,
                    org.grievance.ssd.register.workflow.TagThresholds.uniform(0.5)))
        .isPositive();
    assertThat(storedPriority(broken)).as("no detections: nothing to learn from").isZero();
  }

  void setDetections(long id, String json) throws Exception {
    server
        .database()
        .inTransaction(
            c -> {
              try (var u = c.prepareStatement("UPDATE grievance SET detections = ? WHERE id = ?")) {
                u.setString(1, json);
                u.setLong(2, id);
                return u.executeUpdate();
              }
            });
  }

  Double storedPriority(long id) throws Exception {
    return server
        .database()
        .read(
            c -> {
              try (var q =
                  c.prepareStatement("SELECT review_priority FROM grievance WHERE id = ?")) {
                q.setLong(1, id);
                try (var rs = q.executeQuery()) {
                  rs.next();
                  double v = rs.getDouble(1);
                  return rs.wasNull() ? null : v;
                }
              }
            });
  }

  // ---------------------------------------------------------------- web

  @Test
  void servesThePagesWithoutABuildStep() throws Exception {
    Http.Response index = http.get("/");
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.header("Content-Type")).startsWith("text/html");
    assertThat(http.get("/official.html").status()).isEqualTo(200);
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders() throws Exception {
    List<Http.Response> responses = new ArrayList<>();
    for (String path :
        List.of(
            "/",
            "/official.html",
            "/citizen.js",
            "/app.css",
            "/openapi.json",
            "/api/health",
            "/api/stats",
            "/api/nothing-here")) {
      responses.add(http.get(path));
    }
    responses.add(http.get("/api/grievances", "junk"));
    responses.add(http.patch("/api/grievances/1", null, "{}"));
    for (Http.Response r : responses) {
      String csp = r.header("Content-Security-Policy");
      assertThat(csp).as("CSP of %s", r).isEqualTo(RegisterServer.CONTENT_SECURITY_POLICY);
      assertThat(csp)
          .contains("script-src 'self'")
          .contains("frame-ancestors 'none'")
          .doesNotContain("unsafe-inline")
          .doesNotContain("unsafe-eval");
      assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
      assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
      assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(r.header("Strict-Transport-Security")).as("no HSTS over plain HTTP").isNull();
    }
  }

  @Test
  void pagesHaveNoInlineScriptStyleOrHandlersSoTheCspCanForbidThem() throws Exception {
    for (String page : List.of("/", "/official.html")) {
      String html = new String(http.get(page).bytes(), StandardCharsets.UTF_8);
      assertThat(html).containsPattern("<script src=");
      assertThat(html).as(page).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");
      assertThat(html).as(page).doesNotContainPattern("\\son[a-z]+\\s*=");
      assertThat(html).as(page).doesNotContainPattern("\\sstyle\\s*=|<style");
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The tracking ids of a page's items. */
  static List<String> ids(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("items").forEach(i -> out.add(i.get("trackingId").asText()));
    return out;
  }

  static JsonNode find(JsonNode page, String trackingId) {
    for (JsonNode i : page.get("items")) {
      if (i.get("trackingId").asText().equals(trackingId)) {
        return i;
      }
    }
    throw new AssertionError("no grievance " + trackingId + " in " + page);
  }

  static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static byte[] png(RgbImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image.toBufferedImage(), "png", out);
    return out.toByteArray();
  }

  static byte[] noisyPng(int h, int w) throws IOException {
    java.util.Random rnd = new java.util.Random(42);
    byte[] px = new byte[h * w * 3];
    rnd.nextBytes(px);
    return png(new RgbImage(h, w, px));
  }

  /** A valid small PNG whose header claims {@code width x height} (CRC fixed up). */
  static byte[] pngDeclaring(int width, int height) throws IOException {
    byte[] png = png(RgbImage.filled(4, 4, 1, 2, 3));
    ByteBuffer b = ByteBuffer.wrap(png);
    b.putInt(16, width);
    b.putInt(20, height);
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17); // chunk type + 13 data bytes
    b.putInt(29, (int) crc.getValue());
    return png;
  }

  static void writeTo(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes);
  }
}
