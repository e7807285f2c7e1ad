package org.grievance.ssd.register;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load generator: {@code clients} threads each send a request, wait for the answer
 * and send again, for a fixed duration. By default the request is {@code POST /api/detect} with one
 * image; a {@link Workload} may send anything (grievance submissions, say). With several base URLs
 * (replicas behind no balancer) the requests go to them in turn, and a request whose connection is
 * refused is sent at once to the next URL: a replica that is down costs its clients no failed
 * request. 503 answers are the service shedding load on purpose (counted as busy, not as errors);
 * any other answer that is not 2xx is an error.
 */
public final class LoadTest {
  private LoadTest() {}

  /** One request: a path under the base URL, its content type and body (POSTed). */
  public record Call(String path, String contentType, byte[] body) {}

  /** What client {@code client} sends as its {@code n}-th request. */
  @FunctionalInterface
  public interface Workload {
    Call call(int client, long n);
  }

  /** Told of every 2xx answer, with the body, from any client thread. */
  @FunctionalInterface
  public interface Acknowledgements {
    void ok(Call call, byte[] answer);
  }

  /** {@code POST /api/detect} with {@code image}, again and again. */
  public static Workload detect(byte[] image, String contentType) {
    Call call = new Call("/api/detect", contentType, image);
    return (client, n) -> call;
  }

  /**
   * A grievance submission ({@code POST /api/grievances}, multipart) of a JPEG photo at a location
   * with a description.
   */
  public static Call submission(
      byte[] jpeg, double latitude, double longitude, String description) {
    String boundary = "----loadtest" + Long.toHexString(System.nanoTime());
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(jpeg.length + 1024);
    java.util.function.BiConsumer<String, String> field =
        (name, value) ->
            out.writeBytes(
                ("--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\""
                        + name
                        + "\"\r\n\r\n"
                        + value
                        + "\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    field.accept("description", description);
    field.accept("latitude", Double.toString(latitude));
    field.accept("longitude", Double.toString(longitude));
    out.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"photo.jpg\""
                + "\r\nContent-Type: image/jpeg\r\n\r\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    out.writeBytes(jpeg);
    out.writeBytes(
        ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return new Call(
        "/api/grievances", "multipart/form-data; boundary=" + boundary, out.toByteArray());
  }

  /**
   * What a run measured; latencies are of 2xx answers, in milliseconds.
   *
   * @param statuses count per HTTP status (-1: transport failure)
   * @param failovers requests sent again to another URL because theirs refused the connection
   */
  public record Result(
      int clients,
      double seconds,
      long ok,
      long busy,
      long errors,
      double throughputPerSecond,
      double p50Millis,
      double p90Millis,
      double p99Millis,
      double maxMillis,
      Map<Integer, Long> statuses,
      long failovers) {

    /** One line per figure, for the console. */
    public String describe() {
      return String.format(
          java.util.Locale.ROOT,
          "clients %d, %.1f s: %d ok (%.1f req/s), %d busy (503), %d errors;"
              + " latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; statuses %s%s",
          clients,
          seconds,
          ok,
          throughputPerSecond,
          busy,
          errors,
          p50Millis,
          p90Millis,
          p99Millis,
          maxMillis,
          statuses,
          failovers == 0 ? "" : "; " + failovers + " sent again to another URL (refused)");
    }
  }

  /** Runs the load against {@code detectUrl}. */
  public static Result run(
      URI detectUrl, byte[] image, String contentType, int clients, Duration duration)
      throws InterruptedException {
    Objects.requireNonNull(detectUrl, "detectUrl");
    return run(
        List.of(detectUrl.resolve("/")),
        detect(image, contentType),
        clients,
        duration,
        (call, answer) -> {});
  }

  /**
   * Runs {@code workload} against the services at {@code baseUrls} (each request to the next URL in
   * turn) and tells {@code acknowledgements} of every 2xx answer.
   */
  public static Result run(
      List<URI> baseUrls,
      Workload workload,
      int clients,
      Duration duration,
      Acknowledgements acknowledgements)
      throws InterruptedException {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(acknowledgements, "acknowledgements");
    if (baseUrls.isEmpty()) {
      throw new IllegalArgumentException("give at least one URL");
    }
    if (clients < 1) {
      throw new IllegalArgumentException("clients must be >= 1, got " + clients);
    }
    List<URI> bases = List.copyOf(baseUrls);
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    AtomicLong turn = new AtomicLong();
    AtomicLong failovers = new AtomicLong();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    List<long[]> latencies = new ArrayList<>();
    Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      int client = i;
      long[][] mine = {new long[1024]};
      int[] n = {0};
      Thread t =
          new Thread(
              () -> {
                for (long sent = 0; System.nanoTime() < end; sent++) {
                  Call call = workload.call(client, sent);
                  long t0 = System.nanoTime();
                  int status;
                  try {
                    HttpResponse<byte[]> r =
                        send(http, bases, turn.getAndIncrement(), call, failovers);
                    status = r.statusCode();
                    if (status / 100 == 2) {
                      acknowledgements.ok(call, r.body());
                    }
                  } catch (IOException e) {
                    status = -1;
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                  long took = System.nanoTime() - t0;
                  statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                  if (status / 100 == 2) {
                    if (n[0] == mine[0].length) {
                      mine[0] = Arrays.copyOf(mine[0], n[0] * 2);
                    }
                    mine[0][n[0]++] = took;
                  } else if (status == 503 || status == -1) {
                    try {
                      Thread.sleep(50); // a polite client backs off a little
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                  }
                }
                synchronized (latencies) {
                  latencies.add(Arrays.copyOf(mine[0], n[0]));
                }
              },
              "load-" + i);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long total = 0;
    for (long[] l : latencies) {
      total += l.length;
    }
    long[] all = new long[(int) total];
    int k = 0;
    for (long[] l : latencies) {
      System.arraycopy(l, 0, all, k, l.length);
      k += l.length;
    }
    Arrays.sort(all);
    Map<Integer, Long> counts = new TreeMap<>();
    statuses.forEach((s, c) -> counts.put(s, c.get()));
    long busy = counts.getOrDefault(503, 0L);
    long errors = 0;
    for (Map.Entry<Integer, Long> e : counts.entrySet()) {
      if (e.getKey() / 100 != 2 && e.getKey() != 503) {
        errors += e.getValue();
      }
    }
    return new Result(
        clients,
        seconds,
        all.length,
        busy,
        errors,
        all.length / seconds,
        percentile(all, 0.50),
        percentile(all, 0.90),
        percentile(all, 0.99),
        all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6,
        counts,
        failovers.get());
  }

  /**
   * Sends {@code call} to the URL whose turn it is; when that one refuses the connection (nothing
   * was sent, so nothing can have been stored), to the next, until each was tried once.
   */
  private static HttpResponse<byte[]> send(
      HttpClient http, List<URI> bases, long turn, Call call, AtomicLong failovers)
      throws IOException, InterruptedException {
    ConnectException refused = null;
    for (int tried = 0; tried < bases.size(); tried++) {
      URI base = bases.get((int) ((turn + tried) % bases.size()));
      HttpRequest request =
          HttpRequest.newBuilder(base.resolve(call.path()))
              .header("Content-Type", call.contentType())
              .timeout(Duration.ofSeconds(60))
              .POST(HttpRequest.BodyPublishers.ofByteArray(call.body()))
              .build();
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      } catch (ConnectException e) {
        refused = e;
        if (tried + 1 < bases.size()) {
          failovers.incrementAndGet();
        }
      }
    }
    throw refused;
  }

  /** Nearest-rank percentile of sorted nanoseconds, in milliseconds. */
  static double percentile(long[] sortedNanos, double q) {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sortedNanos.length);
    return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
  }
}
