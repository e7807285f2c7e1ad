package org.grievance.ssd.decode;

import java.util.Arrays;

/**
 * Candidates (an id and a score) handed out best first: higher score first, lower id first on equal
 * scores. That is exactly the reference's greedy NMS pick order ({@code argmax} over the remaining
 * rows, which stay in id order, takes the first maximum).
 *
 * <p>Callers usually need only the head of the order (NMS stops at top-k), so nothing is fully
 * sorted: on the first {@link #poll()} the candidates are split, by a histogram of their scores,
 * into a front batch of at least {@value #BATCH} best candidates and the rest; only the front batch
 * goes into a binary max-heap. The rest is split the same way only if the front batch runs out.
 * This is exact: the histogram bucket is a non-decreasing function of the score, so every candidate
 * of the front batch has a strictly higher score than every candidate left behind. Primitive arrays
 * throughout, grown as needed and reused after {@link #clear()}.
 */
final class CandidateQueue {
  /** Smallest front batch worth splitting off; smaller sets are simply heapified. */
  static final int BATCH = 512;

  private static final int BUCKETS = 256;

  private int[] ids;
  private double[] scores;

  /** Heap in {@code [0, heapSize)}; candidates not yet in the heap in {@code [restStart, end)}. */
  private int heapSize;

  private int restStart;
  private int end;
  private boolean started;
  private final int[] counts = new int[BUCKETS];

  CandidateQueue(int initialCapacity) {
    ids = new int[Math.max(1, initialCapacity)];
    scores = new double[ids.length];
  }

  void clear() {
    heapSize = 0;
    restStart = 0;
    end = 0;
    started = false;
  }

  /** Adds a candidate; only before the first {@link #poll()} after {@link #clear()}. */
  void add(int id, double score) {
    if (started) {
      throw new IllegalStateException("add after poll: clear() first");
    }
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("candidate " + id + " has a NaN score");
    }
    if (end == ids.length) {
      int capacity = ids.length * 2;
      ids = Arrays.copyOf(ids, capacity);
      scores = Arrays.copyOf(scores, capacity);
    }
    ids[end] = id;
    scores[end] = score;
    end++;
  }

  boolean isEmpty() {
    return heapSize == 0 && restStart == end;
  }

  /** Number of candidates not yet polled. */
  int size() {
    return heapSize + (end - restStart);
  }

  /** Removes and returns the id of the best remaining candidate; the queue must not be empty. */
  int poll() {
    if (!started) {
      started = true;
    }
    if (heapSize == 0) {
      if (restStart == end) {
        throw new IllegalStateException("poll on an empty candidate queue");
      }
      refill();
    }
    int best = ids[0];
    heapSize--;
    if (heapSize > 0) {
      ids[0] = ids[heapSize];
      scores[0] = scores[heapSize];
      siftDown(0);
    }
    return best;
  }

  /** Moves the best batch of the remaining candidates to the front and heapifies it. */
  private void refill() {
    int n = end - restStart;
    if (restStart > 0) {
      System.arraycopy(ids, restStart, ids, 0, n);
      System.arraycopy(scores, restStart, scores, 0, n);
    }
    restStart = n;
    end = n;
    int front = n;
    if (n > 2 * BATCH) {
      front = splitBestBatch(n);
    }
    restStart = front;
    heapSize = front;
    for (int i = front / 2 - 1; i >= 0; i--) {
      siftDown(i);
    }
  }

  /**
   * Partitions {@code [0, n)} so that the candidates of the highest score buckets, at least {@link
   * #BATCH} of them, come first; returns their count.
   */
  private int splitBestBatch(int n) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      lo = Math.min(lo, scores[i]);
      hi = Math.max(hi, scores[i]);
    }
    double scale = BUCKETS / (hi - lo);
    if (!(hi > lo) || Double.isInfinite(scale)) {
      return n;
    }
    Arrays.fill(counts, 0);
    for (int i = 0; i < n; i++) {
      counts[bucket(scores[i], lo, scale)]++;
    }
    int cut = BUCKETS;
    int taken = 0;
    while (taken < BATCH) {
      taken += counts[--cut];
    }
    if (cut == 0) {
      return n;
    }
    int left = 0;
    int right = n - 1;
    while (true) {
      while (left <= right && bucket(scores[left], lo, scale) >= cut) {
        left++;
      }
      while (left <= right && bucket(scores[right], lo, scale) < cut) {
        right--;
      }
      if (left >= right) {
        return left;
      }
      int id = ids[left];
      double score = scores[left];
      ids[left] = ids[right];
      scores[left] = scores[right];
      ids[right] = id;
      scores[right] = score;
    }
  }

  /** Non-decreasing in {@code score}: a higher bucket means a strictly higher score. */
  private static int bucket(double score, double lo, double scale) {
    return Math.min(BUCKETS - 1, (int) ((score - lo) * scale));
  }

  private void siftDown(int i) {
    int id = ids[i];
    double score = scores[i];
    int n = heapSize;
    while (true) {
      int child = 2 * i + 1;
      if (child >= n) {
        break;
      }
      if (child + 1 < n) {
        double a = scores[child + 1];
        double b = scores[child];
        if (a > b || (a == b && ids[child + 1] < ids[child])) {
          child++;
        }
      }
      double cs = scores[child];
      if (score > cs || (score == cs && id < ids[child])) {
        break;
      }
      ids[i] = ids[child];
      scores[i] = cs;
      i = child;
    }
    ids[i] = id;
    scores[i] = score;
  }
}
