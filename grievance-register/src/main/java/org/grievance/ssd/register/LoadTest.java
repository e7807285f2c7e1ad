package org.grievance.ssd.register;

import java.io.IOException;
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
 * A closed-loop load generator for {@code POST /api/detect}: {@code clients} threads each send the
 * same image, wait for the answer and send again, for a fixed duration. 503 answers are the service
 * shedding load on purpose (counted as busy, not as errors); anything else that is not 200 is an
 * error.
 */
public final class LoadTest {
  private LoadTest() {}

  /**
   * What a run measured; latencies are of 200 answers, in milliseconds.
   *
   * @param statuses count per HTTP status (-1: transport failure)
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
      Map<Integer, Long> statuses) {

    /** One line per figure, for the console. */
    public String describe() {
      return String.format(
          java.util.Locale.ROOT,
          "clients %d, %.1f s: %d ok (%.1f req/s), %d busy (503), %d errors;"
              + " latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; statuses %s",
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
          statuses);
    }
  }

  /** Runs the load against {@code detectUrl}. */
  public static Result run(
      URI detectUrl, byte[] image, String contentType, int clients, Duration duration)
      throws InterruptedException {
    Objects.requireNonNull(detectUrl, "detectUrl");
    if (clients < 1) {
      throw new IllegalArgumentException("clients must be >= 1, got " + clients);
    }
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(detectUrl)
            .header("Content-Type", contentType)
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofByteArray(image))
            .build();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    List<long[]> latencies = new ArrayList<>();
    Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      long[][] mine = {new long[1024]};
      int[] n = {0};
      Thread t =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  long t0 = System.nanoTime();
                  int status;
                  try {
                    status =
                        http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                  } catch (IOException e) {
                    status = -1;
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                  long took = System.nanoTime() - t0;
                  statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                  if (status == 200) {
                    if (n[0] == mine[0].length) {
                      mine[0] = Arrays.copyOf(mine[0], n[0] * 2);
                    }
                    mine[0][n[0]++] = took;
                  } else if (status == 503) {
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
      if (e.getKey() != 200 && e.getKey() != 503) {
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
        counts);
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
