package org.grievance.ssd.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.grievance.ssd.register.RateLimit;
import org.grievance.ssd.register.RegisterConfig;
import org.grievance.ssd.register.RegisterServer;
import org.grievance.ssd.register.TlsSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ssd serve}: the detection service, grievance register and web page in one process. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the detection API, the grievance register and its web pages.",
      "With no arguments: the quickstart's model (quickstart/run/best) and an embedded H2"
          + " database with the photos under ./data. API summary at /openapi.json."
    })
public final class ServeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      defaultValue = "quickstart/run/best",
      description = "Model, checkpoint or run directory (default: ${DEFAULT-VALUE}).")
  Path model;

  @Option(names = "--port", defaultValue = "8080", description = "Port (default: 8080).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description =
          "Address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every"
              + " interface: then serve TLS or stand behind a TLS proxy).")
  String host;

  @Option(
      names = "--tls-cert",
      description = "Serve HTTPS with this PEM certificate chain (server certificate first).")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      description = "The unencrypted PKCS#8 PEM private key of --tls-cert.")
  Path tlsKey;

  @Option(
      names = "--tls-keystore",
      description =
          "Serve HTTPS with this PKCS#12 keystore; its password comes from"
              + " --tls-keystore-password-file or the environment variable named by"
              + " --tls-keystore-password-env, never the command line.")
  Path tlsKeystore;

  @Option(
      names = "--tls-keystore-password-file",
      description = "File holding the keystore password (one line).")
  Path tlsKeystorePasswordFile;

  @Option(
      names = "--tls-keystore-password-env",
      defaultValue = "SSD_TLS_KEYSTORE_PASSWORD",
      description =
          "Environment variable holding the keystore password (default: ${DEFAULT-VALUE}).")
  String tlsKeystorePasswordEnv;

  @Option(
      names = "--trusted-proxy",
      paramLabel = "IP",
      description =
          "A reverse proxy whose X-Forwarded-For/-Proto headers are believed (repeatable);"
              + " from anyone else they are ignored.")
  List<String> trustedProxies = new ArrayList<>();

  /** Reads environment variables; tests replace it. */
  Function<String, String> environment = System::getenv;

  @Option(
      names = "--db",
      description =
          "JDBC URL, e.g. jdbc:postgresql://localhost/register?user=u&password=p"
              + " (default: H2 file database in --data).")
  String db;

  @Option(
      names = "--data",
      defaultValue = "data",
      description = "Photos, embedded database, temporary uploads (default: ${DEFAULT-VALUE}).")
  Path data;

  @Mixin PhotoOptions photoOptions = new PhotoOptions();

  @Option(
      names = "--tag-threshold",
      paramLabel = "P",
      description =
          "Detections at or over this score tag a grievance, for every class. Default: the"
              + " model's per-class thresholds (from ssd train or ssd calibrate), 0.5 for classes"
              + " without one.")
  Double tagThreshold;

  @Option(
      names = "--duplicate-radius",
      defaultValue = "50",
      description = "Metres within which same-category grievances are linked (default: 50).")
  double duplicateRadius;

  @Option(
      names = "--max-upload-mb",
      defaultValue = "10",
      description = "Largest upload in MB (default: 10).")
  double maxUploadMb;

  @Option(
      names = "--max-megapixels",
      defaultValue = "40",
      description = "Largest image in megapixels, read from the header (default: 40).")
  double maxMegapixels;

  @Option(
      names = "--workers",
      description =
          "Detection threads (default: the cores, at most one per 256 MiB of maximum heap).")
  Integer workers;

  @Option(
      names = "--queue",
      description =
          "Detections waiting beyond the workers before 503 (default: 4 per worker, at most"
              + " 32).")
  Integer queue;

  @Option(
      names = "--memory-budget-mb",
      description =
          "Heap that all requests together may hold in uploads and decoded pixels (about 12"
              + " bytes a pixel); beyond it requests wait up to 2 s, then get 503 (default: half"
              + " the maximum heap; the JVM's heap is a quarter of RAM unless SSD_JAVA_OPTS sets"
              + " -Xmx).")
  Long memoryBudgetMb;

  @Option(
      names = "--submit-limit",
      defaultValue = "30/hour",
      paramLabel = "N/PERIOD",
      description =
          "Grievance submissions per client address (N/second, /minute, /hour, /day, or off;"
              + " default: ${DEFAULT-VALUE}). Counted per process: each replica counts alone.")
  String submitLimit;

  @Option(
      names = "--detect-limit",
      defaultValue = "120/minute",
      paramLabel = "N/PERIOD",
      description = "Detections per client address (default: ${DEFAULT-VALUE}; off: none).")
  String detectLimit;

  @Option(
      names = "--limit-loopback",
      description =
          "Apply the rate limits to loopback clients too (by default they are spared; behind a"
              + " proxy on this machine, name it with --trusted-proxy so clients are told apart).")
  boolean limitLoopback;

  @Option(
      names = "--migrate",
      arity = "0..1",
      defaultValue = "true",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Bring the database schema up to date at start (default: ${DEFAULT-VALUE}). With"
              + " --migrate=false the database user needs no right to change the schema; the"
              + " server then refuses to start while migrations are pending: run 'ssd register"
              + " migrate' first.")
  boolean migrate;

  @Mixin TilingOptions tilingOptions;

  @Option(
      names = "--model-poll-seconds",
      defaultValue = "2",
      paramLabel = "S",
      description =
          "How often to look for a model promoted with 'ssd register promote' (default:"
              + " ${DEFAULT-VALUE}; 0: never). The server serves the latest promoted version;"
              + " --model only seeds an empty register.")
  double modelPollSeconds;

  /** The configuration these options describe. */
  RegisterConfig config() {
    RegisterConfig.Builder b =
        RegisterConfig.builder(model)
            .host(host)
            .port(port)
            .jdbcUrl(db)
            .dataDir(data)
            .tagThreshold(tagThreshold)
            .duplicateRadiusMeters(duplicateRadius)
            .maxUploadBytes(Math.round(maxUploadMb * 1024 * 1024))
            .maxPixels(Math.round(maxMegapixels * 1_000_000))
            .detectTimeout(Duration.ofSeconds(30))
            .tls(tls())
            .trustedProxies(trustedProxies)
            .migrate(migrate)
            .submitLimit(rateLimit("--submit-limit", submitLimit))
            .detectLimit(rateLimit("--detect-limit", detectLimit))
            .limitLoopback(limitLoopback)
            .tiling(tilingOptions.tiling())
            .modelPollInterval(pollInterval())
            .photos(photoOptions.location());
    if (workers != null) {
      b.workers(workers);
    }
    if (queue != null) {
      b.queueCapacity(queue);
    }
    if (memoryBudgetMb != null) {
      b.memoryBudgetBytes(memoryBudgetMb << 20);
    }
    return b.build();
  }

  private Duration pollInterval() {
    if (!(modelPollSeconds >= 0 && modelPollSeconds <= 86_400)) {
      throw new ParameterException(
          spec.commandLine(),
          "--model-poll-seconds must be in [0, 86400], got " + modelPollSeconds);
    }
    return Duration.ofMillis(Math.round(modelPollSeconds * 1000));
  }

  private RateLimit rateLimit(String option, String text) {
    try {
      return RateLimit.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }

  /** The certificate the options name, or null for plain HTTP. */
  TlsSource tls() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ParameterException(
          spec.commandLine(), "--tls-cert and --tls-key go together: give both or neither");
    }
    if (tlsKeystore != null && tlsCert != null) {
      throw new ParameterException(
          spec.commandLine(), "give either --tls-cert/--tls-key or --tls-keystore, not both");
    }
    if (tlsCert != null) {
      return new TlsSource.Pem(tlsCert, tlsKey);
    }
    if (tlsKeystore == null) {
      return null;
    }
    return new TlsSource.Pkcs12(tlsKeystore, keystorePassword());
  }

  private String keystorePassword() {
    if (tlsKeystorePasswordFile != null) {
      try {
        return Files.readString(tlsKeystorePasswordFile).strip();
      } catch (IOException e) {
        throw new ParameterException(
            spec.commandLine(),
            "cannot read --tls-keystore-password-file " + tlsKeystorePasswordFile + ": " + e);
      }
    }
    String password = environment.apply(tlsKeystorePasswordEnv);
    if (password == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--tls-keystore needs its password: set the environment variable "
              + tlsKeystorePasswordEnv
              + " or give --tls-keystore-password-file");
    }
    return password;
  }

  @Override
  public Integer call() throws Exception {
    RegisterConfig config = config();
    RegisterServer server = RegisterServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "serve-shutdown"));
    var out = spec.commandLine().getOut();
    String shown = "0.0.0.0".equals(host) ? "localhost" : host;
    String scheme = server.isTls() ? "https" : "http";
    out.println(
        "serving on " + scheme + "://" + shown + ":" + server.port() + "/  (API: /openapi.json)");
    if (!server.isTls() && !isLoopback(host)) {
      var err = spec.commandLine().getErr();
      err.println(
          "warning: plain HTTP on "
              + host
              + ": officials' tokens cross the network in clear; serve TLS (--tls-cert/--tls-key"
              + " or --tls-keystore) or bind 127.0.0.1 behind a TLS reverse proxy");
      err.flush();
    }
    out.printf(
        "limits: %d workers, queue %d, memory budget %d MiB of a %d MiB heap; per client:"
            + " submissions %s, detections %s%s%n",
        config.workers(),
        config.queueCapacity(),
        config.memoryBudgetBytes() >> 20,
        Runtime.getRuntime().maxMemory() >> 20,
        config.submitLimit() == null ? "unlimited" : config.submitLimit().describe(),
        config.detectLimit() == null ? "unlimited" : config.detectLimit().describe(),
        config.limitLoopback() ? "" : " (loopback spared)");
    var model = server.model();
    out.println(
        "model: "
            + model.version()
            + " "
            + model.name()
            + (config.modelPollInterval().isZero()
                ? " (not polling for promotions)"
                : " (polling for promotions every " + modelPollSeconds + " s)"));
    out.println("listening on port " + server.port());
    out.flush();
    stopped.await();
    return 0;
  }

  /** Whether {@code host} names this machine only (an IP literal; names are never looked up). */
  static boolean isLoopback(String host) {
    if ("localhost".equalsIgnoreCase(host)) {
      return true;
    }
    try {
      return (host.startsWith("127.") || host.contains(":"))
          && InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }
}
