package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Abuse of a live server on 127.0.0.1: per-client rate limits, the shared memory budget, path
 * traversal, polyglot uploads and oversized or malformed bodies. Clients are told apart by {@code
 * X-Forwarded-For}, believed because 127.0.0.1 is declared a trusted proxy; requests without it
 * come from loopback, which the limits spare by default.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LimitsTest {
  static final long MAX_UPLOAD = 300_000;
  static final long BUDGET = 16L << 20;

  Path tmp;
  RegisterServer server;
  Http http;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    tmp = dir;
    RegisterConfig.Builder config = RegisterConfig.builder(TestModels.create(tmp.resolve("run")));
    String url = jdbcUrl(tmp);
    if (url != null) {
      config.jdbcUrl(url);
    }
    server =
        RegisterServer.start(
            config
                .port(0)
                .dataDir(tmp.resolve("data"))
                .tagThreshold(0.0)
                .maxUploadBytes(MAX_UPLOAD)
                .maxPixels(4_000_000)
                .workers(1)
                .queueCapacity(2)
                .detectTimeout(Duration.ofSeconds(60))
                .trustedProxies(List.of("127.0.0.1"))
                .memoryBudgetBytes(BUDGET)
                .submitLimit(RateLimit.parse("2/hour"))
                .detectLimit(RateLimit.parse("3/minute"))
                .build());
    http = new Http(server.port());
  }

  /** The database to run against; null for the embedded H2 default. */
  String jdbcUrl(Path tmp) throws Exception {
    return null;
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  Http.Response detectAs(String client, byte[] jpeg) throws Exception {
    HttpRequest.Builder b =
        http.request("/api/detect")
            .header("Content-Type", "image/jpeg")
            .POST(HttpRequest.BodyPublishers.ofByteArray(jpeg));
    if (client != null) {
      b.header("X-Forwarded-For", client);
    }
    return http.send(b);
  }

  Http.Response submitAs(String client, byte[] photo, String type) throws Exception {
    Http.Multipart form =
        new Http.Multipart().field("description", "a hole").file("photo", "p", type, photo);
    HttpRequest.Builder b =
        http.request("/api/grievances")
            .header("Content-Type", "multipart/form-data; boundary=" + form.boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()));
    if (client != null) {
      b.header("X-Forwarded-For", client);
    }
    return http.send(b);
  }

  /** An error answer a stranger may read: JSON, no server paths, class names or stack traces. */
  static void assertCleanError(String body) {
    assertThat(body)
        .doesNotContain("/tmp", "/work", "/root", "Exception", "org.eclipse", "io.javalin")
        .doesNotContain("java.", "\tat ", "org.grievance");
  }

  static void assertCleanError(Http.Response r) {
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.json().get("status").asInt()).isEqualTo(r.status());
    assertCleanError(new String(r.bytes(), StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- rate limits

  @Test
  void detectionsOverTheLimitAre429WithRetryAfterPerClient() throws Exception {
    byte[] jpeg = TestModels.jpeg(60, 80, 1);
    for (int i = 0; i < 3; i++) {
      assertThat(detectAs("203.0.113.7", jpeg).status()).isEqualTo(200);
    }
    Http.Response refused = detectAs("203.0.113.7", jpeg);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
    assertThat(refused.json().get("error").asText()).contains("at most 3 per minute");
    assertCleanError(refused);
    // Another client, and the operator on loopback, are not affected.
    assertThat(detectAs("203.0.113.8", jpeg).status()).isEqualTo(200);
    assertThat(detectAs(null, jpeg).status()).isEqualTo(200);
  }

  @Test
  void submissionsOverTheLimitAre429() throws Exception {
    byte[] jpeg = TestModels.jpeg(60, 80, 2);
    assertThat(submitAs("198.51.100.4", jpeg, "image/jpeg").status()).isEqualTo(201);
    assertThat(submitAs("198.51.100.4", jpeg, "image/jpeg").status()).isEqualTo(201);
    Http.Response refused = submitAs("198.51.100.4", jpeg, "image/jpeg");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 3600);
    assertCleanError(refused);
  }

  @Test
  void rateLimitsParseAndCanBeTurnedOff() {
    assertThat(RateLimit.parse("30/hour")).isEqualTo(new RateLimit(30, Duration.ofHours(1)));
    assertThat(RateLimit.parse(" 120 / min ")).isEqualTo(new RateLimit(120, Duration.ofMinutes(1)));
    assertThat(RateLimit.parse("off")).isNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RateLimit.parse("lots"))
        .hasMessageContaining("N/minute");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RateLimit.parse("0/min"))
        .hasMessageContaining("requests must be >= 1");
  }

  @Test
  void idleClientsAreForgottenSoTheTableStaysBounded() throws Exception {
    ClientRateLimiter limiter = new ClientRateLimiter(RateLimit.parse("1/second"), "tries");
    limiter.acquire("192.0.2.1");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> limiter.acquire("192.0.2.1"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("at most 1 per second");
    limiter.acquire("192.0.2.2");
    assertThat(limiter.clients()).isEqualTo(2);
    Thread.sleep(1_100); // a whole period: both buckets are full again
    limiter.acquire("192.0.2.3");
    assertThat(limiter.clients()).as("the two idle clients are forgotten").isEqualTo(1);
    limiter.acquire("192.0.2.1");
  }

  // ---------------------------------------------------------------- memory budget

  @Test
  void aSpentMemoryBudgetAnswers503WithRetryAfterThenRecovers() throws Exception {
    byte[] jpeg = TestModels.jpeg(60, 80, 3);
    MemoryBudget.Lease all = server.memory().reserve(BUDGET, "the test");
    try {
      assertThat(server.memory().availableBytes()).isZero();
      Http.Response busy = detectAs(null, jpeg);
      assertThat(busy.status()).isEqualTo(503);
      assertThat(busy.header("Retry-After")).isNotBlank();
      assertCleanError(busy);
    } finally {
      all.close();
    }
    assertThat(detectAs(null, jpeg).status()).isEqualTo(200);
    assertThat(server.memory().availableBytes()).isEqualTo(BUDGET);
  }

  @Test
  void aDetachedLeaseKeepsItsMemoryUntilItIsClosed() {
    MemoryBudget budget = new MemoryBudget(4L << 20, Duration.ZERO);
    MemoryBudget.Lease request = budget.reserve(3L << 20, "an upload");
    MemoryBudget.Lease worker = request.detach();
    request.close();
    assertThat(budget.availableBytes()).as("still held by the worker").isEqualTo(1L << 20);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> budget.reserve(2L << 20, "another"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
    worker.close();
    worker.close();
    assertThat(budget.availableBytes()).isEqualTo(4L << 20);
  }

  @Test
  void anImageLargerThanTheWholeBudgetIs413() throws Exception {
    // 1500 x 1500 pixels pass maxPixels (4 MP) but need ~27 MB decoded, over the 16 MiB budget.
    byte[] png = ImageFiles.pngBytes(RgbImage.filled(1500, 1500, 90, 90, 90));
    Http.Response r = http.postRaw("/api/detect", png, "image/png");
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.json().get("error").asText()).contains("memory");
    assertCleanError(r);
    assertThat(server.memory().availableBytes()).isEqualTo(BUDGET);
  }

  // ---------------------------------------------------------------- path traversal

  @Test
  void pathTraversalIsRefusedWithoutLeaking() throws Exception {
    List<String> paths =
        List.of(
            "/../../../../etc/passwd",
            "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/..%2f..%2f..%2fetc%2fpasswd",
            "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "/js/../../../../etc/passwd",
            "/org/grievance/ssd/register/RegisterServer.class",
            "/../org/grievance/ssd/register/RegisterServer.class",
            "/api/grievances/..%2f..%2f..%2fetc%2fpasswd/image",
            "/api/grievances/%2e%2e/image",
            "/api/grievances/../../etc/passwd",
            "/api/grievances/..%5c..%5cetc%5cpasswd/image");
    for (String path : paths) {
      RawHttp.Reply r = RawHttp.get(server.port(), path);
      assertThat(r.status()).as(path).isIn(400, 404);
      assertThat(r.text()).as(path).doesNotContain("root:", "CAFEBABE", "\u00ca\u00fe\u00ba\u00be");
      assertCleanError(r.text());
    }
  }

  // ---------------------------------------------------------------- polyglots

  @Test
  void polyglotUploadsAreStoredAsCleanImagesAndNeverServedAsHtml() throws Exception {
    byte[] jpeg = TestModels.jpeg(60, 80, 4);
    byte[] html =
        "<html><script>alert(document.cookie)</script></html>".getBytes(StandardCharsets.UTF_8);
    byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 0, 0, 'e', 'v', 'i', 'l'};
    byte[] png = ImageFiles.pngBytes(RgbImage.filled(40, 50, 10, 200, 30));
    List<byte[]> polyglots = List.of(concat(jpeg, zip), concat(jpeg, html), concat(png, html));
    for (byte[] upload : polyglots) {
      // Sent as text/html on purpose: the declared type is never believed.
      Http.Response created = submitAs(null, upload, "text/html");
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      String url = created.json().get("trackingUrl").asText();
      Http.Response photo = http.get(url + "/image");
      assertThat(photo.status()).isEqualTo(200);
      assertThat(photo.header("Content-Type")).isIn("image/jpeg", "image/png");
      assertThat(photo.header("X-Content-Type-Options")).isEqualTo("nosniff");
      String served = new String(photo.bytes(), StandardCharsets.ISO_8859_1);
      assertThat(served).doesNotContain("<html", "<script", "PK\u0003\u0004", "evil");
      assertThat(photo.bytes()).isNotEqualTo(upload);
    }
    // HTML alone, named and typed as a PNG, is no image.
    Http.Response refused = submitAs(null, html, "image/png");
    assertThat(refused.status()).isEqualTo(415);
    assertCleanError(refused);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  // ---------------------------------------------------------------- oversized bodies

  @Test
  void aDeclaredLengthOverTheLimitIs413() throws Exception {
    RawHttp.Reply r =
        RawHttp.send(
            server.port(),
            "POST /api/detect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\n"
                + "Content-Length: 999999999\r\n",
            new byte[1024]);
    assertThat(r.status()).isEqualTo(413);
    assertCleanError(r.text());
  }

  @Test
  void aChunkedBodyOverTheLimitIs413() throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] jpeg = TestModels.jpeg(60, 80, 5);
    body.writeBytes(RawHttp.chunk(jpeg));
    for (long sent = jpeg.length; sent <= MAX_UPLOAD + 200_000; sent += 65_536) {
      body.writeBytes(RawHttp.chunk(new byte[65_536]));
    }
    body.writeBytes(RawHttp.LAST_CHUNK);
    RawHttp.Reply r =
        RawHttp.send(
            server.port(),
            "POST /api/detect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\n"
                + "Transfer-Encoding: chunked\r\n",
            body.toByteArray());
    assertThat(r.status()).isEqualTo(413);
    assertCleanError(r.text());
  }

  @Test
  void aChunkedMultipartOverTheLimitIs413() throws Exception {
    byte[] big = new byte[(int) MAX_UPLOAD + 200_000];
    Http.Multipart form =
        new Http.Multipart().field("description", "x").file("photo", "p.jpg", "image/jpeg", big);
    byte[] all = form.body();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int at = 0; at < all.length; at += 32_768) {
      body.writeBytes(
          RawHttp.chunk(Arrays.copyOfRange(all, at, Math.min(all.length, at + 32_768))));
    }
    body.writeBytes(RawHttp.LAST_CHUNK);
    RawHttp.Reply r =
        RawHttp.send(
            server.port(),
            "POST /api/grievances HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: multipart/form-data; boundary="
                + form.boundary
                + "\r\nTransfer-Encoding: chunked\r\n",
            body.toByteArray());
    assertThat(r.status()).isEqualTo(413);
    assertCleanError(r.text());
  }

  @Test
  void sixtyThousandPartsAreRefused() throws Exception {
    String boundary = "b0undary";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] part =
        ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 60_000; i++) {
      body.writeBytes(part);
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    Http.Response r =
        http.send(
            http.request("/api/grievances")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    assertThat(r.status()).isIn(400, 413);
    assertCleanError(r);
  }

  @Test
  void oversizedOrBrokenUploadsLeaveNoMultipartFilesBehind() throws IOException {
    try (var files = java.nio.file.Files.list(tmp.resolve("data").resolve("tmp"))) {
      assertThat(files.filter(java.nio.file.Files::isRegularFile)).isEmpty();
    }
  }
}
