package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service in a JVM of 512 MiB, every memory default sized from that heap, under the uploads
 * that used to exhaust it: 36-megapixel PNGs of ~100 kB (decompression bombs that pass the pixel
 * limit) and many parallel uploads of ~10 MB. Every answer is a success or a clean refusal (413,
 * 503), never a crash, and the health check keeps answering.
 */
class MemoryTest {
  static final Set<Integer> ALLOWED = Set.of(200, 201, 413, 503);

  @TempDir Path tmp;

  @Test
  void aSmallHeapSurvivesHugeImagesAndManyLargeUploads() throws Exception {
    Path model = TestModels.create(tmp.resolve("run"));
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            javaBin,
            "-Xmx512m",
            "-XX:+ExitOnOutOfMemoryError",
            "-Dai.djl.offline=true",
            "-Djava.awt.headless=true",
            "-cp",
            System.getProperty("java.class.path"),
            MemoryTestServer.class.getName(),
            model.toString(),
            tmp.resolve("data").toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(tmp.resolve("server.log").toFile());
    Process process = pb.start();
    try {
      int port = waitForPort(tmp.resolve("server.log"), process);
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      Http http = new Http("http://127.0.0.1:" + port, client);

      // 8 parallel 36 MP PNGs: a flat 6000 x 6000 image compresses to almost nothing.
      byte[] bomb = ImageFiles.pngBytes(RgbImage.filled(6000, 6000, 120, 120, 120));
      assertThat(bomb.length).isLessThan(1_000_000);
      Map<Integer, Integer> bombs = parallel(client, http, 8, "/api/detect", bomb, "image/png");
      // 100 parallel ~10 MB uploads of a real image (noise does not compress).
      byte[] big = noisePng(1800, 1790, 7);
      assertThat(big.length).isBetween(9_000_000, 10 * 1024 * 1024);
      Map<Integer, Integer> uploads = parallel(client, http, 100, "/api/detect", big, "image/png");

      System.out.println("36 MP PNGs: " + bombs + "; 10 MB uploads: " + uploads);
      assertThat(bombs.keySet()).as("answers to the 36 MP PNGs %s", bombs).isSubsetOf(ALLOWED);
      assertThat(uploads.keySet())
          .as("answers to the 10 MB uploads %s", uploads)
          .isSubsetOf(ALLOWED);
      assertThat(uploads).as("some uploads were served").containsKey(200);
      assertThat(process.isAlive()).as("the server process is alive").isTrue();
      assertThat(http.get("/api/health").status()).isEqualTo(200);
      // Once the load is gone the budget is whole again: a large image is served.
      assertThat(http.postRaw("/api/detect", big, "image/png").status()).isEqualTo(200);
    } finally {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Sends {@code n} requests at once; how many got each status (-1: no answer). */
  static Map<Integer, Integer> parallel(
      HttpClient client, Http http, int n, String path, byte[] body, String type) {
    List<CompletableFuture<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpRequest req =
          http.request(path)
              .timeout(Duration.ofSeconds(120))
              .header("Content-Type", type)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      answers.add(
          client
              .sendAsync(req, HttpResponse.BodyHandlers.discarding())
              .thenApply(HttpResponse::statusCode)
              .exceptionally(e -> -1));
    }
    Map<Integer, Integer> counts = new TreeMap<>();
    for (CompletableFuture<Integer> a : answers) {
      counts.merge(a.join(), 1, Integer::sum);
    }
    return counts;
  }

  static byte[] noisePng(int height, int width, long seed) throws IOException {
    byte[] px = new byte[height * width * 3];
    new Random(seed).nextBytes(px);
    return ImageFiles.pngBytes(new RgbImage(height, width, px));
  }

  static int waitForPort(Path log, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (java.nio.file.Files.exists(log)) {
        try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(
                    java.nio.file.Files.newInputStream(log), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("listening on port ")) {
              return Integer.parseInt(line.substring("listening on port ".length()).strip());
            }
          }
        }
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(200);
    }
    throw new IOException("the server did not start:\n" + java.nio.file.Files.readString(log));
  }
}
