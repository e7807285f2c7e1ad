package org.grievance.ssd.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.io.AtomicFiles;
import org.grievance.ssd.register.ApiJson;
import org.grievance.ssd.register.LoadTest;
import org.grievance.ssd.register.RegisterConfig;
import org.grievance.ssd.register.RegisterServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ssd loadtest}: the service benchmark of docs/register.md#load-benchmark. Without {@code
 * --url} it starts the service on loopback with {@code --model} (its own temporary data directory)
 * and measures that.
 */
@Command(
    name = "loadtest",
    mixinStandardHelpOptions = true,
    description = {
      "Load benchmark of POST /api/detect (or, with --submit, grievance submissions): N"
          + " concurrent clients (closed loop) for a duration; prints throughput, p50/p90/p99"
          + " latency, 503s (deliberate load shedding) and errors.",
      "Without --url it starts the service on 127.0.0.1 with --model and a temporary database."
    })
public final class LoadTestCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--url",
      description =
          "Base URL of a running service (default: start one). Repeat it for replicas: requests"
              + " go to each in turn, and one refused by a replica that is down goes to the next.")
  List<URI> urls = new ArrayList<>();

  @Option(
      names = "--submit",
      description =
          "Submit grievances (POST /api/grievances: the image at one of --spots places, a few"
              + " metres apart, so that duplicates arise) instead of POST /api/detect.")
  boolean submit;

  @Option(
      names = "--spots",
      defaultValue = "20",
      description = "With --submit: places the submissions share (${DEFAULT-VALUE}).")
  int spots;

  @Option(
      names = "--acknowledged",
      paramLabel = "FILE",
      description =
          "With --submit: write the tracking id of every acknowledged (201) grievance to FILE,"
              + " one a line, to check later that none was lost.")
  Path acknowledged;

  @Option(
      names = "--model",
      defaultValue = "quickstart/run/best",
      description = "Model for the in-process service (default: ${DEFAULT-VALUE}).")
  Path model;

  @Option(names = "--clients", defaultValue = "16", description = "Concurrent clients (16).")
  int clients;

  @Option(names = "--seconds", defaultValue = "60", description = "Duration in seconds (60).")
  int seconds;

  @Option(
      names = "--image",
      description = "Image to send (default: a generated 480x640 JPEG of about 40 kB).")
  Path image;

  @Option(
      names = "--workers",
      description = "Detection threads of the in-process service (default: cores).")
  Integer workers;

  @Option(
      names = "--queue",
      defaultValue = "32",
      description = "Queue of the in-process service (default: 32).")
  int queue;

  @Override
  public Integer call() throws Exception {
    byte[] bytes = image == null ? generatedJpeg() : Files.readAllBytes(image);
    String type = image == null ? "image/jpeg" : "application/octet-stream";
    var out = spec.commandLine().getOut();
    if (!urls.isEmpty()) {
      report(out, runAgainst(urls, bytes, type));
      return 0;
    }
    if (submit || acknowledged != null) {
      throw new IllegalArgumentException("--submit and --acknowledged need --url");
    }
    Path data = Files.createTempDirectory("ssd-loadtest-");
    try {
      RegisterConfig.Builder b =
          RegisterConfig.builder(model)
              .host("127.0.0.1")
              .port(0)
              .dataDir(data)
              .queueCapacity(queue);
      if (workers != null) {
        b.workers(workers);
      }
      RegisterConfig config = b.build();
      try (RegisterServer server = RegisterServer.start(config)) {
        out.printf(
            "service on 127.0.0.1:%d, %d workers, queue %d; %d clients for %d s%n",
            server.port(), config.workers(), config.queueCapacity(), clients, seconds);
        out.flush();
        URI detect = URI.create("http://127.0.0.1:" + server.port() + "/api/detect");
        LoadTest.run(detect, bytes, type, Math.min(clients, 4), Duration.ofSeconds(2)); // warm-up
        report(out, LoadTest.run(detect, bytes, type, clients, duration()));
      }
    } finally {
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }

  /** The load against running services, detections or submissions. */
  private LoadTest.Result runAgainst(List<URI> bases, byte[] bytes, String type) throws Exception {
    if (!submit) {
      if (acknowledged != null) {
        throw new IllegalArgumentException("--acknowledged goes with --submit");
      }
      return LoadTest.run(
          bases, LoadTest.detect(bytes, type), clients, duration(), (call, answer) -> {});
    }
    if (spots < 1) {
      throw new IllegalArgumentException("--spots must be >= 1, got " + spots);
    }
    if (image != null && !image.toString().matches("(?i).*\\.jpe?g")) {
      throw new IllegalArgumentException("--submit sends a JPEG: give a .jpg --image");
    }
    List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
    LoadTest.Workload submissions =
        (client, n) -> {
          // Spots 200 m apart along a street; within a spot, up to about 10 m apart.
          java.util.Random r = new java.util.Random(client * 1_000_003L + n);
          int spot = r.nextInt(spots);
          double lat = 48.85 + spot * 0.0018 + r.nextDouble() * 0.00009;
          double lon = 2.35 + r.nextDouble() * 0.00009;
          return LoadTest.submission(bytes, lat, lon, "loadtest " + client + "/" + n);
        };
    LoadTest.Result result =
        LoadTest.run(
            bases,
            submissions,
            clients,
            duration(),
            (call, answer) -> {
              try {
                ids.add(ApiJson.MAPPER.readTree(answer).get("trackingId").asText());
              } catch (java.io.IOException | RuntimeException e) {
                // a 2xx without a tracking id is not an acknowledged grievance
              }
            });
    if (acknowledged != null) {
      List<String> lines;
      synchronized (ids) {
        lines = List.copyOf(ids);
      }
      AtomicFiles.write(
          acknowledged,
          (String.join("\n", lines) + (lines.isEmpty() ? "" : "\n"))
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      spec.commandLine()
          .getOut()
          .println("wrote " + lines.size() + " acknowledged tracking ids to " + acknowledged);
    }
    return result;
  }

  private Duration duration() {
    if (seconds < 1) {
      throw new IllegalArgumentException("--seconds must be >= 1, got " + seconds);
    }
    return Duration.ofSeconds(seconds);
  }

  private static void report(java.io.PrintWriter out, LoadTest.Result r) {
    out.println(r.describe());
    out.flush();
  }

  /** A smooth synthetic street-like scene: sky gradient, road, a few dark ellipses. */
  static byte[] generatedJpeg() throws java.io.IOException {
    int h = 480;
    int w = 640;
    byte[] px = new byte[h * w * 3];
    java.util.Random rnd = new java.util.Random(1);
    int[][] spots = new int[5][];
    for (int i = 0; i < spots.length; i++) {
      spots[i] = new int[] {rnd.nextInt(w), h / 2 + rnd.nextInt(h / 2), 15 + rnd.nextInt(40)};
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int k = (y * w + x) * 3;
        int r;
        int g;
        int b;
        if (y < h / 2) {
          r = 120 + y / 4;
          g = 160 + y / 5;
          b = 230;
        } else {
          r = g = b = 90 + (x + y) % 7;
        }
        for (int[] s : spots) {
          int dx = x - s[0];
          int dy = (y - s[1]) * 2;
          if (dx * dx + dy * dy < s[2] * s[2]) {
            r = g = b = 35;
          }
        }
        px[k] = (byte) r;
        px[k + 1] = (byte) g;
        px[k + 2] = (byte) b;
      }
    }
    return ImageFiles.jpegBytes(new RgbImage(h, w, px), 0.85f);
  }
}
