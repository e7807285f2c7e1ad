package org.grievance.ssd.decode;

import java.util.Arrays;

/**
 * Candidates (an id and a score) handed out best first: higher score first, lower id first on equal
 * scores. That is exactly the reference's greedy NMS pick order ({@code argmax} over the remaining
 * rows, which stay in id order, takes the first maximum).
 *
 * <p>A binary max-heap over primitive arrays rather than a full sort: building it is linear and
 * each {@link #poll()} costs {@code O(log n)}, so when NMS stops early (top-k reached) the
 * unexamined tail is never ordered. The arrays grow as needed and are reused after {@link
 * #clear()}.
 */
final class CandidateQueue {
  private int[] ids;
  private double[] scores;
  private int size;
  private boolean heap;

  CandidateQueue(int initialCapacity) {
    ids = new int[Math.max(1, initialCapacity)];
    scores = new double[ids.length];
  }

  void clear() {
    size = 0;
    heap = false;
  }

  /** Adds a candidate; call before the first {@link #poll()} after {@link #clear()}. */
  void add(int id, double score) {
    if (heap) {
      throw new IllegalStateException("add after poll: clear() first");
    }
    if (size == ids.length) {
      int capacity = ids.length * 2;
      ids = Arrays.copyOf(ids, capacity);
      scores = Arrays.copyOf(scores, capacity);
    }
    ids[size] = id;
    scores[size] = score;
    size++;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** Removes and returns the id of the best remaining candidate; the queue must not be empty. */
  int poll() {
    ensureHeap();
    if (size == 0) {
      throw new IllegalStateException("poll on an empty candidate queue");
    }
    int best = ids[0];
    size--;
    if (size > 0) {
      ids[0] = ids[size];
      scores[0] = scores[size];
      siftDown(0);
    }
    return best;
  }

  private void ensureHeap() {
    if (!heap) {
      for (int i = size / 2 - 1; i >= 0; i--) {
        siftDown(i);
      }
      heap = true;
    }
  }

  /** True when candidate {@code a} goes before candidate {@code b}. */
  private boolean before(int a, int b) {
    double sa = scores[a];
    double sb = scores[b];
    return sa > sb || (sa == sb && ids[a] < ids[b]);
  }

  private void siftDown(int i) {
    int id = ids[i];
    double score = scores[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && before(child + 1, child)) {
        child++;
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
