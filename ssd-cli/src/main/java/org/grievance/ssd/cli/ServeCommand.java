package org.grievance.ssd.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.grievance.ssd.register.RegisterConfig;
import org.grievance.ssd.register.RegisterServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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
      defaultValue = "0.0.0.0",
      description = "Address to bind (default: ${DEFAULT-VALUE}; 127.0.0.1 for loopback only).")
  String host;

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

  @Option(
      names = "--tag-threshold",
      defaultValue = "0.5",
      description = "Detections at or over this score tag a grievance (default: 0.5).")
  double tagThreshold;

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

  @Option(names = "--workers", description = "Detection threads (default: the number of cores).")
  Integer workers;

  @Option(
      names = "--queue",
      defaultValue = "32",
      description = "Detections waiting beyond the workers before 503 (default: 32).")
  int queue;

  @Mixin TilingOptions tilingOptions;

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
            .queueCapacity(queue)
            .detectTimeout(Duration.ofSeconds(30))
            .tiling(tilingOptions.tiling());
    if (workers != null) {
      b.workers(workers);
    }
    return b.build();
  }

  @Override
  public Integer call() throws Exception {
    RegisterServer server = RegisterServer.start(config());
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
    out.println("serving on http://" + shown + ":" + server.port() + "/  (API: /openapi.json)");
    out.println("listening on port " + server.port());
    out.flush();
    stopped.await();
    return 0;
  }
}
