package org.grievance.ssd.register;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link RateLimit} per client address, with Bucket4j's token buckets held in this process (so
 * each replica counts on its own). Clients idle for a whole period are forgotten: their bucket is
 * full again, so dropping it changes nothing, and the map of clients cannot grow without limit
 * beyond {@link #MAX_CLIENTS} active ones.
 */
final class ClientRateLimiter {
  /** Clients counted at once; beyond it the longest idle are forgotten first. */
  static final int MAX_CLIENTS = 100_000;

  private final RateLimit limit;
  private final String what;
  private final Map<String, Entry> clients = new ConcurrentHashMap<>();
  private final ReentrantLock pruning = new ReentrantLock();
  private volatile long nextPrune;

  private static final class Entry {
    final Bucket bucket;
    volatile long lastUsed;

    Entry(Bucket bucket, long now) {
      this.bucket = bucket;
      this.lastUsed = now;
    }
  }

  /** {@code what} names the requests in the 429's message ("submissions", "detections"). */
  ClientRateLimiter(RateLimit limit, String what) {
    this.limit = limit;
    this.what = what;
  }

  /** Counts one request of {@code client}; 429 with {@code Retry-After} when over the limit. */
  void acquire(String client) {
    long now = System.nanoTime();
    prune(now);
    Entry e = clients.computeIfAbsent(client, c -> new Entry(newBucket(), now));
    e.lastUsed = now;
    ConsumptionProbe probe = e.bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      long seconds =
          Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1);
      throw new ApiException(
          429,
          "too many "
              + what
              + " from your address: at most "
              + limit.requests()
              + " per "
              + limit.periodName()
              + "; retry in "
              + seconds
              + " s",
          Map.of("Retry-After", Long.toString(seconds)));
    }
  }

  /** Clients counted now (tests check the bound). */
  int clients() {
    return clients.size();
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(l -> l.capacity(limit.requests()).refillGreedy(limit.requests(), limit.period()))
        .build();
  }

  /** At most once per period, or when too many: forgets clients whose bucket is full again. */
  private void prune(long now) {
    if (now - nextPrune < 0 && clients.size() < MAX_CLIENTS) {
      return;
    }
    if (!pruning.tryLock()) {
      return;
    }
    try {
      long idle = limit.period().toNanos();
      clients.values().removeIf(e -> now - e.lastUsed >= idle);
      // Still full: forget the longest idle (they lose what they spent, nothing worse).
      if (clients.size() >= MAX_CLIENTS) {
        long cutoff = now - idle / 2;
        for (Iterator<Entry> it = clients.values().iterator();
            it.hasNext() && clients.size() >= MAX_CLIENTS * 9L / 10; ) {
          if (it.next().lastUsed - cutoff < 0) {
            it.remove();
          }
        }
        if (clients.size() >= MAX_CLIENTS) {
          clients.clear();
        }
      }
      nextPrune = now + Math.min(idle, TimeUnit.MINUTES.toNanos(1));
    } finally {
      pruning.unlock();
    }
  }
}
