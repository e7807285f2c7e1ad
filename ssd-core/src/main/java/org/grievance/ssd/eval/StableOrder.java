package org.grievance.ssd.eval;

/**
 * Stable ordering of indices by descending score on primitive arrays (a merge sort; equal scores
 * keep their input order, like NumPy's {@code argsort(-s, kind='mergesort')}). Scores compare with
 * {@code <}/{@code >}, so -0.0 and 0.0 tie as they do in NumPy.
 */
final class StableOrder {
  private StableOrder() {}

  /** Sorts {@code idx[0:n]} in place so that {@code keys[idx[i]]} is non-increasing. */
  static void byDescendingKey(int[] idx, int n, double[] keys) {
    if (n < 2) {
      return;
    }
    int[] tmp = new int[n];
    // Bottom-up: insertion-sort runs of 32, then merge.
    final int run = 32;
    for (int lo = 0; lo < n; lo += run) {
      int hi = Math.min(lo + run, n);
      for (int i = lo + 1; i < hi; i++) {
        int v = idx[i];
        double k = keys[v];
        int j = i - 1;
        while (j >= lo && keys[idx[j]] < k) {
          idx[j + 1] = idx[j];
          j--;
        }
        idx[j + 1] = v;
      }
    }
    int[] src = idx;
    int[] dst = tmp;
    for (int width = run; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int i = lo;
        int j = mid;
        int o = lo;
        while (i < mid && j < hi) {
          // Take from the right run only when strictly greater: keeps equal keys in order.
          dst[o++] = keys[src[j]] > keys[src[i]] ? src[j++] : src[i++];
        }
        while (i < mid) {
          dst[o++] = src[i++];
        }
        while (j < hi) {
          dst[o++] = src[j++];
        }
      }
      int[] t = src;
      src = dst;
      dst = t;
    }
    if (src != idx) {
      System.arraycopy(src, 0, idx, 0, n);
    }
  }

  /** The permutation {@code 0..n-1} sorted by descending {@code keys}. */
  static int[] descending(double[] keys, int n) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    byDescendingKey(idx, n, keys);
    return idx;
  }
}
