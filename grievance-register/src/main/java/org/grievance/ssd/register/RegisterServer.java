package org.grievance.ssd.register;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.grievance.ssd.image.PhotoMetadata;
import org.grievance.ssd.infer.DetectionWriter;
import org.grievance.ssd.infer.ImageDetections;
import org.grievance.ssd.register.store.GrievanceState;
import org.grievance.ssd.register.store.ListQuery;
import org.grievance.ssd.register.store.NewGrievance;
import org.grievance.ssd.register.store.PhotoRef;
import org.grievance.ssd.register.store.StoredAnnotation;
import org.grievance.ssd.register.store.StoredGrievance;
import org.grievance.ssd.register.store.TrackingIds;
import org.grievance.ssd.register.workflow.GrievanceWorkflow;
import org.grievance.ssd.register.workflow.Patch;
import org.grievance.ssd.register.workflow.RegisterException;
import org.grievance.ssd.register.workflow.ReviewPriority;
import org.grievance.ssd.register.workflow.Status;
import org.grievance.ssd.register.workflow.TagThresholds;
import org.grievance.ssd.register.workflow.Tagging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP service: detection API, grievance register API, OpenAPI document and the web pages, in
 * one Javalin server. It reads and checks requests, hands grievance changes to the {@link
 * GrievanceWorkflow}, answers with the {@code api} records ({@link GrievanceViews}, {@link
 * GrievanceLinks}) and turns refusals into status codes. Build with {@link #start(RegisterConfig)};
 * {@link #close()} stops the server and frees the model and the database pool.
 */
public final class RegisterServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RegisterServer.class);

  /** Room for multipart framing and form fields around the image itself. */
  static final long MULTIPART_SLACK_BYTES = 64 * 1024;

  /** Oversized bodies up to this size are drained before the 413 so the client can read it. */
  private static final long DRAIN_LIMIT_BYTES = 64L << 20;

  static final int MAX_CONTACT_LENGTH = 200;

  /** Multipart parts larger than this are spilled to a file in the scratch directory. */
  static final int MULTIPART_IN_MEMORY_BYTES = 64 * 1024;

  /** How long a request waits for room in the memory budget before it is answered 503. */
  static final java.time.Duration MEMORY_WAIT = java.time.Duration.ofSeconds(2);

  /**
   * Slowest request body accepted, in bytes a second (averaged since the request began): a client
   * trickling its upload is cut off instead of holding a thread.
   */
  static final long MIN_REQUEST_DATA_RATE = 4 * 1024;

  /** A connection silent this long is closed (between requests and while a body is sent). */
  static final long IDLE_TIMEOUT_MILLIS = 20_000;

  /** How long a browser may keep a public photo; shared caches may not keep it at all. */
  static final int PUBLIC_PHOTO_MAX_AGE_SECONDS = 300;

  private final RegisterConfig config;
  private final DetectionService detection;
  private final Database db;
  private final GrievanceWorkflow grievances;
  private final Officials officials;
  private final PhotoStore photos;
  private final ReviewPriority reviewPriority = ReviewPriority.DEFAULT;
  private final ModelWatcher models;
  private final byte[] openApi;
  private final ForwardedHeaders forwarded;
  private final TlsKeys.Loaded tls;
  private final MemoryBudget memory;
  private final ClientRateLimiter submitLimiter;
  private final ClientRateLimiter detectLimiter;
  private Javalin app;

  private RegisterServer(
      RegisterConfig config,
      DetectionService detection,
      Database db,
      PhotoStore photos,
      ModelPromotion promotion)
      throws IOException {
    this.config = config;
    this.forwarded = new ForwardedHeaders(config.trustedProxies());
    this.tls = config.tls() == null ? null : TlsKeys.load(config.tls());
    this.memory = new MemoryBudget(config.memoryBudgetBytes(), MEMORY_WAIT);
    this.submitLimiter =
        config.submitLimit() == null
            ? null
            : new ClientRateLimiter(config.submitLimit(), "submissions");
    this.detectLimiter =
        config.detectLimit() == null
            ? null
            : new ClientRateLimiter(config.detectLimit(), "detections");
    this.detection = detection;
    this.db = db;
    this.grievances = new GrievanceWorkflow(db, config.duplicateRadiusMeters());
    this.officials = new Officials(db);
    this.photos = photos;
    this.models = new ModelWatcher(config, promotion, detection);
    try (InputStream in = RegisterServer.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IOException("openapi.json is missing from the class path");
      }
      this.openApi = in.readAllBytes();
    }
  }

  /**
   * Opens the database (migrating it, or checking it with migrate off), loads the latest promoted
   * model version (or records {@code --model} as the first), sweeps, listens, and polls for
   * promotions.
   */
  public static RegisterServer start(RegisterConfig config) throws IOException {
    // ImageIO would otherwise buffer streamed images in imageio*.tmp files under java.io.tmpdir:
    // copies of uploads (metadata included) that nothing sweeps after a crash. Uploads are bounded
    // in size, so memory buffering is no risk, and it is faster.
    ImageIO.setUseCache(false);
    Files.createDirectories(config.dataDir());
    // The photo store first: a missing bucket or wrong credentials fail before the model loads.
    PhotoStore photos = PhotoStore.open(config.effectivePhotos());
    Database db;
    try {
      db = Database.open(config.effectiveJdbcUrl(), config.migrate());
    } catch (RuntimeException e) {
      photos.close();
      throw e;
    }
    ModelPromotion promotion = new ModelPromotion(db, photos, config.modelsDir());
    DetectionService detection;
    try {
      detection = loadServedVersion(config, promotion);
    } catch (IOException | RuntimeException e) {
      db.close();
      photos.close();
      throw e;
    }
    RegisterServer server;
    try {
      server = new RegisterServer(config, detection, db, photos, promotion);
      int assigned;
      try {
        assigned = server.grievances.assignTrackingIds();
      } catch (SQLException e) {
        throw new IOException("cannot give older grievances their tracking ids", e);
      }
      if (assigned > 0) {
        LOG.info("gave {} grievances stored before tracking ids their tracking id", assigned);
      }
      int prioritised;
      try {
        prioritised =
            server.grievances.assignReviewPriorities(server.reviewPriority, server.tagThresholds());
      } catch (SQLException e) {
        throw new IOException("cannot give older grievances their review priority", e);
      }
      if (prioritised > 0) {
        LOG.info("gave {} grievances stored before review priorities theirs", prioritised);
      }
      int swept = server.photos.sweepTemporaryFiles();
      if (swept > 0) {
        LOG.info("removed {} temporary photo files left by an interrupted write", swept);
      }
      int uploads = ImageUpload.sweepTemporaryCopies(server.config.scratchDir());
      if (uploads > 0) {
        LOG.info("removed {} temporary copies of uploads left by an interrupted request", uploads);
      }
      server.sweepOrphanPhotos();
      server.sweepMultipartFiles();
      server.app = server.createApp().start(config.host(), config.port());
      server.models.start();
    } catch (IOException | RuntimeException e) {
      db.close();
      detection.close();
      photos.close();
      throw e;
    }
    LOG.info("photos in {}", photos.describe());
    return server;
  }

  /**
   * The detection service on the latest promoted version; on a register without versions, {@code
   * --model} is recorded as the first.
   */
  private static DetectionService loadServedVersion(RegisterConfig config, ModelPromotion promotion)
      throws IOException {
    ModelVersions.ModelVersion v;
    try {
      v = promotion.servedOrFirst(config.modelDir(), "ssd serve");
    } catch (SQLException e) {
      throw new IOException("cannot read the promoted model versions", e);
    }
    LOG.info("serving model {} {}", v.label(), v.modelName());
    return DetectionService.start(DetectionService.open(config, promotion.checkout(v), v), config);
  }

  /** Looks for a promoted version now, as the poll does; whether the model was swapped. */
  boolean checkForNewModel() {
    return models.check();
  }

  /**
   * Deletes the photo files no grievance references that are older than {@link
   * OrphanPhotos#MIN_AGE} (older than any request in flight, here or in a replica sharing the
   * folder) and logs how many; a failure is logged and start-up goes on.
   */
  private void sweepOrphanPhotos() {
    try {
      OrphanPhotos.Swept swept =
          OrphanPhotos.sweep(db, photos, Instant.now().minus(OrphanPhotos.MIN_AGE));
      LOG.info(
          "orphan photo sweep: removed {} unreferenced photo files ({} bytes) older than {}",
          swept.files(),
          swept.bytes(),
          OrphanPhotos.MIN_AGE);
    } catch (IOException | SQLException | RuntimeException e) {
      // RuntimeException too: a bucket's listing fails unchecked half-way through.
      LOG.warn(
          "orphan photo sweep failed; nothing was deleted after the failure: {}", e.toString());
    }
  }

  /** Where Jetty spills multipart parts: emptied at start-up (the files hold uploads). */
  private java.nio.file.Path multipartDir() {
    return config.scratchDir().resolve("multipart");
  }

  private void sweepMultipartFiles() throws IOException {
    java.nio.file.Path dir = multipartDir();
    Files.createDirectories(dir);
    int n = 0;
    try (var files = Files.newDirectoryStream(dir)) {
      for (java.nio.file.Path p : files) {
        if (Files.isRegularFile(p) && Files.deleteIfExists(p)) {
          n++;
        }
      }
    }
    if (n > 0) {
      LOG.info("removed {} multipart files left by an interrupted request", n);
    }
  }

  /** The budget of upload and pixel memory shared by all requests. */
  MemoryBudget memory() {
    return memory;
  }

  /** The port the server listens on (the real one when configured with 0). */
  public int port() {
    return app.port();
  }

  /** Whether the server speaks HTTPS (it was given a certificate). */
  public boolean isTls() {
    return tls != null;
  }

  /**
   * The address of the client behind a request: the connection's peer, or, when that peer is one of
   * {@link RegisterConfig#trustedProxies()}, the client named in {@code X-Forwarded-For}. The one
   * place that decides who a client is (per-client limits key on it).
   */
  public String clientAddress(Context ctx) {
    return forwarded.clientAddress(
        ctx.req().getRemoteAddr(), Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
  }

  /** Whether the client's request reached us, or a trusted proxy in front, over HTTPS. */
  boolean isSecure(Context ctx) {
    return ctx.req().isSecure()
        || forwarded.forwardedHttps(
            ctx.req().getRemoteAddr(), Collections.list(ctx.req().getHeaders("X-Forwarded-Proto")));
  }

  DetectionService detection() {
    return detection;
  }

  /** The model served now, with its version. */
  public DetectionService.ModelInfo model() {
    return detection.info();
  }

  public Officials officials() {
    return officials;
  }

  Database database() {
    return db;
  }

  public GrievanceWorkflow grievances() {
    return grievances;
  }

  public PhotoStore photos() {
    return photos;
  }

  private Javalin createApp() {
    long maxRequest = config.maxUploadBytes() + MULTIPART_SLACK_BYTES;
    return Javalin.create(
        cfg -> {
          cfg.startup.showJavalinBanner = false;
          cfg.jsonMapper(new JavalinJackson(ApiJson.MAPPER, false));
          cfg.http.maxRequestSize = maxRequest;
          cfg.jetty.multipartConfig.maxFileSize(maxRequest, SizeUnit.BYTES);
          cfg.jetty.multipartConfig.maxTotalRequestSize(maxRequest, SizeUnit.BYTES);
          // Parts over 64 KiB go to a file, so an upload is not held in memory by Jetty as well.
          cfg.jetty.multipartConfig.maxInMemoryFileSize(MULTIPART_IN_MEMORY_BYTES, SizeUnit.BYTES);
          cfg.jetty.multipartConfig.cacheDirectory(multipartDir().toString());
          cfg.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(IDLE_TIMEOUT_MILLIS));
          cfg.jetty.modifyServletContextHandler(
              context ->
                  context.insertHandler(
                      new org.eclipse.jetty.server.handler.MinimumDataRateHandler(
                          MIN_REQUEST_DATA_RATE, 0)));
          cfg.jetty.addConnector(tls != null ? this::tlsConnector : this::plainConnector);
          cfg.staticFiles.add(
              sf -> {
                sf.hostedPath = "/";
                sf.directory = "/org/grievance/ssd/register/web";
                sf.location = Location.CLASSPATH;
              });
          var r = cfg.routes;
          r.before(this::securityHeaders);
          r.before("/api/*", this::limitRequestSize);
          r.before("/api/*", RegisterServer::apiCaching);
          r.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
          r.get("/api/health", this::health);
          r.get("/api/model", ctx -> ctx.json(detection.info()));
          r.post("/api/detect", this::detect);
          r.post("/api/grievances", this::submit);
          r.get("/api/grievances", this::list);
          r.get("/api/grievances/{id}", this::show);
          r.get("/api/grievances/{id}/image", this::image);
          r.patch("/api/grievances/{id}", this::patch);
          r.get("/api/grievances/{id}/annotations", this::annotations);
          r.put("/api/grievances/{id}/annotations", this::saveAnnotations);
          r.get("/api/stats", ctx -> ctx.json(grievances.stats()));
          r.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage(), e));
          r.exception(
              RegisterException.class,
              (e, ctx) -> error(ctx, httpStatus(e.kind()), e.getMessage(), null));
          r.exception(
              HttpResponseException.class,
              (e, ctx) -> error(ctx, e.getStatus(), e.getMessage(), null));
          r.exception(
              Exception.class,
              (e, ctx) -> {
                LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal error", null);
              });
          r.error(
              404,
              ctx -> {
                if (ctx.path().startsWith("/api/") && ctx.result() == null) {
                  error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path(), null);
                }
              });
        });
  }

  /**
   * The only connector when a certificate is given: TLS on the configured host and port, so plain
   * HTTP is not served anywhere. Jetty's {@link SecureRequestCustomizer} marks requests secure and
   * checks that the SNI host name matches the certificate.
   */
  private Connector tlsConnector(Server server, HttpConfiguration http) {
    HttpConfiguration https = new HttpConfiguration(http);
    https.addCustomizer(new SecureRequestCustomizer());
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(tls.keyStore());
    ssl.setKeyStorePassword(tls.password());
    ServerConnector connector =
        new ServerConnector(
            server,
            new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
            new HttpConnectionFactory(https));
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
    return connector;
  }

  /** The plain HTTP connector, with the idle timeout that closes silent connections. */
  private Connector plainConnector(Server server, HttpConfiguration http) {
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
    return connector;
  }

  /** Content-Security-Policy of every response: the pages load only their own files. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:;"
          + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
          + " frame-ancestors 'none'";

  /**
   * Headers on every response, pages and API alike: no inline script or foreign sources, no
   * framing, no referrer, no content sniffing, and HSTS once the client came over HTTPS.
   */
  private void securityHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Content-Type-Options", "nosniff");
    if (isSecure(ctx)) {
      ctx.header("Strict-Transport-Security", "max-age=31536000");
    }
  }

  /**
   * API answers depend on who asks (officials see contacts and exact locations), so no shared cache
   * may keep them, and a browser asks again each time; routes may set their own.
   */
  private static void apiCaching(Context ctx) {
    ctx.header("Cache-Control", "private, no-cache");
    ctx.header("Vary", "Authorization");
  }

  /** The status code of a refusal of the register. */
  static int httpStatus(RegisterException.Kind kind) {
    return switch (kind) {
      case INVALID -> 400;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case STALE -> 412;
    };
  }

  private static void error(Context ctx, int status, String message, ApiException e) {
    ctx.status(status);
    if (e != null) {
      e.headers().forEach(ctx::header);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", message);
    if (e != null) {
      body.putAll(e.details());
    }
    ctx.json(body);
  }

  /**
   * Refuses a declared body over the limit before it is parsed or kept. A body up to {@link
   * #DRAIN_LIMIT_BYTES} is read and discarded first: answering while the client is still sending
   * makes the connection reset under it, and most clients then report the reset instead of the 413.
   * Larger bodies are refused at once and the connection closed.
   */
  private void limitRequestSize(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    long limit = config.maxUploadBytes() + MULTIPART_SLACK_BYTES;
    if (declared > limit) {
      if (declared <= DRAIN_LIMIT_BYTES) {
        drain(ctx, DRAIN_LIMIT_BYTES);
      }
      ctx.header("Connection", "close");
      throw new ApiException(
          413,
          "the request has "
              + declared
              + " bytes; images are limited to "
              + config.maxUploadBytes()
              + " bytes");
    }
  }

  /**
   * Reads and discards what is left of the request body, at most {@code max} bytes, so that a
   * refusal sent before the body was read reaches the client instead of a connection reset.
   */
  private static void drain(Context ctx, long max) {
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] buf = new byte[64 * 1024];
      for (long left = max; left > 0; ) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          break;
        }
        left -= n;
      }
    } catch (IOException | RuntimeException e) {
      // The client went away or the body was read already; the refusal is answered anyway.
    }
  }

  /** Runs {@code check}; when it refuses, drains the unread body first (see {@link #drain}). */
  private void beforeBody(Context ctx, Runnable check) {
    try {
      check.run();
    } catch (ApiException e) {
      drain(ctx, config.maxUploadBytes() + MULTIPART_SLACK_BYTES);
      throw e;
    }
  }

  private void health(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    boolean dbOk;
    try {
      dbOk = db.read(c -> c.isValid(2));
    } catch (SQLException e) {
      dbOk = false;
    }
    body.put("status", dbOk ? "ok" : "degraded");
    body.put("database", dbOk ? "ok" : "unreachable");
    DetectionService.ModelInfo model = detection.info();
    body.put("model", model.name());
    if (model.version() != null) {
      body.put("modelVersion", model.version());
    }
    body.put("queued", detection.queued());
    ctx.status(dbOk ? 200 : 503).json(body);
  }

  /**
   * The image of a request: multipart part {@code field}, or the raw body when not multipart. Its
   * bytes, and then its decoded pixels, are reserved in the shared {@link MemoryBudget} under
   * {@code lease} before they are read or decoded.
   */
  private ImageUpload readImage(Context ctx, String field, MemoryBudget.Lease lease)
      throws IOException {
    byte[] bytes;
    if (isMultipart(ctx)) {
      UploadedFile file;
      try {
        file = ctx.uploadedFile(field);
      } catch (Exception e) { // Jetty's ServletException arrives unchecked through Kotlin
        throw multipartFailure(e);
      }
      if (file == null) {
        throw ApiException.badRequest("multipart field '" + field + "' (the image) is missing");
      }
      if (file.size() > config.maxUploadBytes()) {
        throw new ApiException(
            413,
            "the image has " + file.size() + " bytes; the limit is " + config.maxUploadBytes());
      }
      lease.grow(file.size(), "the upload");
      try (InputStream in = file.content()) {
        bytes = in.readAllBytes();
      }
    } else {
      long declared = ctx.req().getContentLengthLong();
      beforeBody(
          ctx, () -> lease.grow(declared >= 0 ? declared : config.maxUploadBytes(), "the upload"));
      bytes = ctx.bodyAsBytes();
    }
    ImageUpload upload =
        ImageUpload.check(bytes, config.maxUploadBytes(), config.maxPixels(), config.scratchDir());
    lease.grow((long) upload.height() * upload.width() * MemoryBudget.BYTES_PER_PIXEL, "the image");
    return upload;
  }

  /** Counts a request against {@code limiter} for its client, unless limits spare it. */
  private void rateLimit(Context ctx, ClientRateLimiter limiter) {
    if (limiter == null) {
      return;
    }
    String client = clientAddress(ctx);
    if (!config.limitLoopback() && isLoopback(client)) {
      return;
    }
    limiter.acquire(client);
  }

  private static boolean isLoopback(String address) {
    java.net.InetAddress a = ForwardedHeaders.literal(address);
    return a != null && a.isLoopbackAddress();
  }

  private static boolean isMultipart(Context ctx) {
    String type = ctx.contentType();
    return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/");
  }

  /** Jetty reports an oversized part as a generic failure; find out which it was. */
  private ApiException multipartFailure(Exception e) {
    if (e instanceof ApiException api) {
      return api;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
      if (m.contains("size") || m.contains("too large") || m.contains("exceed")) {
        return new ApiException(
            413, "the upload is larger than the limit of " + config.maxUploadBytes() + " bytes");
      }
    }
    return ApiException.badRequest("malformed multipart body");
  }

  private void detect(Context ctx) throws IOException {
    beforeBody(ctx, () -> rateLimit(ctx, detectLimiter));
    try (MemoryBudget.Lease lease = memory.empty()) {
      detect(ctx, readImage(ctx, "image", lease), lease);
    }
  }

  private void detect(Context ctx, ImageUpload upload, MemoryBudget.Lease lease)
      throws IOException {
    boolean annotated = "true".equalsIgnoreCase(ctx.queryParam("annotated"));
    DetectionService.Result r =
        detection.detect(
            upload,
            annotated ? DetectionService.Output.ANNOTATED : DetectionService.Output.DETECTIONS,
            lease);
    if (annotated) {
      ctx.contentType("image/png").result(r.annotatedPng());
      return;
    }
    // The detection JSON document of the upload (no image name), then the service's own fields.
    ObjectNode body =
        DetectionWriter.toJson(new ImageDetections(null, r.width(), r.height(), r.detections()));
    DetectionService.ModelInfo model = r.model().info();
    body.put("model", model.name());
    if (model.version() != null) {
      body.put("modelVersion", model.version());
    }
    ArrayNode tags = body.putArray("tags");
    tags(r).keySet().forEach(tags::add);
    body.put("millis", Math.round(r.millis() * 10) / 10.0);
    // Whether the photo says where it was taken, so the citizen page can offer to publish that
    // position; the position itself is not echoed.
    body.put("photoHasLocation", PhotoMetadata.read(upload.bytes()).location().isPresent());
    ctx.json(body);
  }

  /** The categories of a detection, at the thresholds of the model that made it. */
  private Map<String, Double> tags(DetectionService.Result r) {
    return Tagging.categories(r.detections(), tagThresholds(r.model()));
  }

  /** The thresholds that tag a grievance with a class: the configured one or the model's own. */
  private TagThresholds tagThresholds(ServedModel model) {
    return TagThresholds.of(config.tagThreshold(), model.classThresholds());
  }

  /** {@link #tagThresholds(ServedModel)} of the model served now. */
  private TagThresholds tagThresholds() {
    return TagThresholds.of(config.tagThreshold(), detection.classThresholds());
  }

  /** The categories an official may set: the served model's classes and {@code untagged}. */
  private Set<String> categories() {
    Set<String> cats = new LinkedHashSet<>(detection.info().classes());
    cats.add(Tagging.UNTAGGED);
    return cats;
  }

  private void submit(Context ctx) throws IOException, SQLException {
    beforeBody(ctx, () -> rateLimit(ctx, submitLimiter));
    try (MemoryBudget.Lease lease = memory.empty()) {
      submit(ctx, lease);
    }
  }

  private void submit(Context ctx, MemoryBudget.Lease lease) throws IOException, SQLException {
    if (!isMultipart(ctx)) {
      throw new ApiException(
          415, "submit a grievance as multipart/form-data (photo, description, ...)");
    }
    String description =
        TextInput.required(
            formField(ctx, "description"), "description", config.maxDescriptionLength());
    Double lat = coordinate(formField(ctx, "latitude"), "latitude", 90);
    Double lon = coordinate(formField(ctx, "longitude"), "longitude", 180);
    if ((lat == null) != (lon == null)) {
      throw ApiException.badRequest("give both latitude and longitude, or neither");
    }
    boolean locationFromPhoto =
        flag(formField(ctx, "useLocationFromPhoto"), "useLocationFromPhoto");
    if (locationFromPhoto && lat != null) {
      throw ApiException.badRequest(
          "give latitude and longitude or useLocationFromPhoto=true, not both");
    }
    String contact = TextInput.optional(formField(ctx, "contact"), "contact", MAX_CONTACT_LENGTH);
    ImageUpload upload = readImage(ctx, "photo", lease);
    if (locationFromPhoto) {
      // The only thing ever taken from the photo's metadata, and only because the citizen asked.
      PhotoMetadata.GeoPoint at =
          PhotoMetadata.read(upload.bytes())
              .location()
              .orElseThrow(
                  () ->
                      ApiException.badRequest(
                          "useLocationFromPhoto=true, but the photo carries no location (no"
                              + " EXIF GPS position)"));
      lat = at.latitude();
      lon = at.longitude();
    }
    DetectionService.Result r = detection.detect(upload, DetectionService.Output.SUBMISSION, lease);
    // The upload itself is discarded: only its clean copy (upright, no metadata) is stored.
    // Photo files first (atomic, on disk), then the row that references them in one transaction:
    // a crash in between leaves an unreferenced file, never a dangling reference.
    String photoHash = photos.put(r.photo().bytes());
    String annotatedHash = photos.put(r.annotatedPng());
    Map<String, Double> tags = tags(r);
    long id =
        grievances.create(
            new NewGrievance(
                description,
                lat,
                lon,
                contact,
                photoHash,
                r.photo().format().mediaType(),
                annotatedHash,
                r.width(),
                r.height(),
                r.model().info().name(),
                json(DetectionWriter.detectionsJson(r.detections())),
                tags,
                reviewPriority.of(r.detections(), tagThresholds(r.model())),
                r.model().versionId()));
    // The citizen gets the tracking id only: numeric ids would tell how many came before.
    String trackingId = grievances.trackingId(id).orElseThrow();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trackingId", trackingId);
    body.put("status", Status.OPEN.wire());
    body.put("categories", tags.keySet());
    body.put("trackingUrl", GrievanceLinks.self(trackingId));
    body.put("pageUrl", GrievanceLinks.page(trackingId));
    body.put("links", GrievanceLinks.of(trackingId));
    ctx.status(201).header("Location", GrievanceLinks.self(trackingId)).json(body);
  }

  private static String json(Object value) {
    try {
      return ApiJson.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise detections", e);
    }
  }

  private String formField(Context ctx, String name) {
    try {
      return ctx.formParam(name);
    } catch (Exception e) { // Jetty's ServletException arrives unchecked through Kotlin
      throw multipartFailure(e);
    }
  }

  /** An optional boolean form field: absent or blank is false. */
  private static boolean flag(String value, String name) {
    if (value == null || value.isBlank()) {
      return false;
    }
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "on", "1" -> true;
      case "false", "off", "0" -> false;
      default ->
          throw ApiException.badRequest(name + " must be true or false, got '" + clip(value) + "'");
    };
  }

  /**
   * A decimal number such as {@code 52.52} or {@code -1.5e-3}: not Java's wider syntax (hex, NaN,
   * Infinity, {@code 1d}); an exponent that overflows to infinity is out of range like any other.
   */
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d{1,4})?");

  private static Double coordinate(String value, String name, double limit) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String text = value.strip();
    if (text.length() > 40 || !DECIMAL.matcher(text).matches()) {
      throw ApiException.badRequest(
          name + " must be a decimal number of degrees such as 52.52, got '" + clip(text) + "'");
    }
    double v = Double.parseDouble(text);
    if (!(v >= -limit && v <= limit)) {
      throw ApiException.badRequest(
          name + " must be in [-" + (int) limit + ", " + (int) limit + "], got " + text);
    }
    return v;
  }

  /** A request value quoted in a message: at most 40 characters of it. */
  private static String clip(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "…";
  }

  private Optional<Officials.Official> official(Context ctx) throws SQLException {
    String h = ctx.header("Authorization");
    if (h == null) {
      return Optional.empty();
    }
    if (!h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized("use 'Authorization: Bearer TOKEN'");
    }
    Optional<Officials.Official> who = officials.authenticate(h.substring(7).strip());
    if (who.isEmpty()) {
      throw unauthorized("invalid, expired or revoked token");
    }
    return who;
  }

  private static ApiException unauthorized(String message) {
    return new ApiException(401, message, Map.of("WWW-Authenticate", "Bearer"));
  }

  /**
   * The grievance a path names: by tracking id for anyone, by numeric id for officials only (the
   * public would learn from those how many grievances exist and could walk through them).
   */
  private long id(Context ctx, boolean forOfficial) throws SQLException {
    String ref = ctx.pathParam("id");
    if (TrackingIds.isTrackingId(ref)) {
      return grievances.idOf(ref).orElseThrow(() -> ApiException.notFound("no grievance " + ref));
    }
    if (!ref.matches("[0-9]{1,18}")) {
      throw ApiException.notFound("no grievance '" + ref + "'");
    }
    if (!forOfficial) {
      throw unauthorized(
          "numeric ids are for officials (send a bearer token); use the tracking id instead");
    }
    return Long.parseLong(ref);
  }

  private void show(Context ctx) throws SQLException {
    boolean forOfficial = official(ctx).isPresent();
    long id = id(ctx, forOfficial);
    StoredGrievance g =
        grievances.find(id).orElseThrow(() -> ApiException.notFound("no grievance " + id));
    taggedJson(ctx, GrievanceViews.grievance(g, forOfficial));
  }

  /** Answers {@code view} as JSON with its entity tag. */
  private static void taggedJson(Context ctx, Object view) {
    byte[] body = EntityTags.json(view);
    ctx.header("ETag", EntityTags.of(body)).contentType("application/json").result(body);
  }

  /**
   * A photo. Public photos may be kept by the browser for {@link #PUBLIC_PHOTO_MAX_AGE_SECONDS} but
   * never by a shared cache, since a grievance rejected later must stop showing its photo;
   * officials' copies are not stored at all.
   */
  private void image(Context ctx) throws SQLException, IOException {
    boolean forOfficial = official(ctx).isPresent();
    long id = id(ctx, forOfficial);
    boolean annotated = "true".equalsIgnoreCase(ctx.queryParam("annotated"));
    if (!forOfficial) {
      GrievanceState state =
          grievances.state(id).orElseThrow(() -> ApiException.notFound("no grievance " + id));
      if (!GrievanceViews.photosArePublic(state)) {
        throw ApiException.notFound("the photos of a rejected or merged grievance are not public");
      }
    }
    PhotoRef photo =
        grievances
            .photo(id, annotated)
            .orElseThrow(() -> ApiException.notFound("no grievance " + id));
    ctx.contentType(photo.mediaType())
        .header(
            "Cache-Control",
            forOfficial ? "private, no-store" : "private, max-age=" + PUBLIC_PHOTO_MAX_AGE_SECONDS)
        .result(photos.open(photo.sha256()));
  }

  /**
   * Officials list every grievance; the public lists the work items that are not rejected (a {@code
   * status=rejected} filter finds none), see {@link GrievanceViews}.
   */
  private void list(Context ctx) throws SQLException {
    boolean forOfficial = official(ctx).isPresent();
    String category = TextInput.optional(ctx.queryParam("category"), "category", 100);
    String status = blankToNull(ctx.queryParam("status"));
    int page = intParam(ctx, "page", 1, 1, 1_000_000);
    int size = intParam(ctx, "size", 20, 1, 100);
    List<String> statuses = status == null ? null : List.of(Status.parse(status).wire());
    ListQuery.Review review = review(ctx.queryParam("review"), forOfficial);
    if (!forOfficial) {
      List<String> visible = new ArrayList<>(GrievanceViews.publicStatuses());
      if (statuses != null) {
        visible.retainAll(statuses);
      }
      statuses = visible;
    }
    ListQuery q =
        new ListQuery(
            category,
            statuses,
            !forOfficial,
            time(ctx.queryParam("from"), "from", false),
            time(ctx.queryParam("to"), "to", true),
            page,
            size,
            review);
    ctx.json(GrievanceViews.page(grievances.list(q), q, forOfficial));
  }

  /** The {@code review} filter of the list: officials' work, so for officials only. */
  private static ListQuery.Review review(String value, boolean forOfficial) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (!forOfficial) {
      throw unauthorized("the review queue is for officials: send a bearer token");
    }
    return switch (value.strip()) {
      case "needed" -> ListQuery.Review.NEEDED;
      case "done" -> ListQuery.Review.DONE;
      default ->
          throw ApiException.badRequest(
              "review must be needed or done, got '" + clip(value.strip()) + "'");
    };
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static int intParam(Context ctx, String name, int dflt, int min, int max) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          name + " must be an integer in [" + min + ", " + max + "], got '" + v + "'");
    }
  }

  /**
   * A date ({@code 2024-05-01}, the whole day, UTC) or an ISO-8601 instant with offset; {@code to}
   * dates are inclusive (the bound becomes the next midnight).
   */
  static OffsetDateTime time(String value, String name, boolean upper) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    OffsetDateTime t;
    try {
      if (v.length() == 10) {
        LocalDate d = LocalDate.parse(v);
        t = d.atStartOfDay().atOffset(ZoneOffset.UTC);
      } else {
        t = OffsetDateTime.parse(v);
      }
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          name
              + " must be a date (2024-05-31) or an ISO-8601 time with offset, got '"
              + clip(v)
              + "'");
    }
    // Years 1 to 9999: what both databases store (PostgreSQL's range ends in 294276, Java's
    // and H2's are far wider), and no grievance is older or newer.
    int year = t.atZoneSameInstant(ZoneOffset.UTC).getYear();
    if (year < 1 || year > 9999) {
      throw ApiException.badRequest(
          name + " must be between the years 1 and 9999 (UTC), got '" + clip(v) + "'");
    }
    return upper && v.length() == 10 ? t.plusDays(1) : t;
  }

  private void patch(Context ctx) throws SQLException {
    Officials.Official who =
        official(ctx).orElseThrow(() -> unauthorized("officials only: send a bearer token"));
    long id = id(ctx, true);
    // If-Match names a view the client read: the officials' (the official page) or the public one.
    Predicate<String> ifMatch = EntityTags.ifMatch(ctx.header("If-Match"));
    Predicate<StoredGrievance> unchanged =
        ifMatch == null
            ? null
            : g ->
                ifMatch.test(EntityTags.ofJson(GrievanceViews.grievance(g, true)))
                    || ifMatch.test(EntityTags.ofJson(GrievanceViews.grievance(g, false)));
    Patch p = PatchRequest.parse(ctx.body(), config.maxDescriptionLength());
    taggedJson(
        ctx,
        GrievanceViews.grievance(
            grievances.patch(id, p, who.name(), categories(), unchanged), true));
  }

  /** The officials' view of the boxes of a grievance's photo, with its entity tag. */
  private void annotations(Context ctx) throws SQLException {
    official(ctx).orElseThrow(() -> unauthorized("officials only: send a bearer token"));
    long id = id(ctx, true);
    StoredGrievance g =
        grievances.find(id).orElseThrow(() -> ApiException.notFound("no grievance " + id));
    taggedJson(ctx, AnnotationViews.of(g, grievances.annotation(id), tagThresholds()));
  }

  /**
   * Saves an official's boxes. They are checked against the photo's size and the classes of the
   * model served now; an If-Match names the boxes as the official read them ({@link #annotations}'
   * ETag), so a review saved meanwhile by someone else is not overwritten (412).
   */
  private void saveAnnotations(Context ctx) throws SQLException {
    Officials.Official who =
        official(ctx).orElseThrow(() -> unauthorized("officials only: send a bearer token"));
    long id = id(ctx, true);
    Predicate<String> ifMatch = EntityTags.ifMatch(ctx.header("If-Match"));
    StoredGrievance g =
        grievances.find(id).orElseThrow(() -> ApiException.notFound("no grievance " + id));
    AnnotationRequest.Checked body =
        AnnotationRequest.parse(
            ctx.body(), g.imageWidth(), g.imageHeight(), detection.info().classes());
    StoredAnnotation saved =
        grievances.saveAnnotation(
            id,
            AnnotationViews.json(body.boxes()),
            body.reviewed(),
            who.name(),
            ifMatch == null
                ? null
                : (now, before) ->
                    ifMatch.test(
                        EntityTags.ofJson(AnnotationViews.of(now, before, tagThresholds()))));
    taggedJson(ctx, AnnotationViews.of(g, Optional.of(saved), tagThresholds()));
  }

  @Override
  public void close() {
    try {
      models.close();
      if (app != null) {
        app.stop();
      }
    } finally {
      try {
        detection.close();
      } finally {
        try {
          db.close();
        } finally {
          photos.close();
        }
      }
    }
  }
}
