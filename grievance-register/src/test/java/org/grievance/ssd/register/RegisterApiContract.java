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
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.infer.DetectionWriter;
import org.grievance.ssd.infer.ImageDetections;
import org.grievance.ssd.register.workflow.GeoDistance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

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
            "/api/stats");
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
  void imageEndpointsServeTheStoredPhotoAndTheAnnotatedPng() throws Exception {
    byte[] photo = TestModels.jpeg(100, 130, 11);
    String id = submitOk(photo, "broken lamp", null, null);
    Http.Response original = http.get("/api/grievances/" + id + "/image");
    assertThat(original.status()).isEqualTo(200);
    assertThat(original.header("Content-Type")).isEqualTo("image/jpeg");
    assertThat(original.bytes()).isEqualTo(photo);
    assertThat(server.photos().path(PhotoStore.sha256(photo))).exists();
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
