package org.grievance.ssd.eval;

/**
 * Sums doubles in exactly the order NumPy's {@code np.sum}/{@code np.mean} does for a contiguous
 * float64 array (pairwise summation with an 8-way unrolled base case, applied to blocks of 8192
 * elements), so that averages over many values match pycocotools and the devkit bit for bit rather
 * than within rounding.
 */
final class NumpySum {
  private static final int BLOCK = 128;
  private static final int BUFFER = 8192;

  private NumpySum() {}

  /** {@code np.sum(values[0:n])}. */
  static double sum(double[] values, int n) {
    double res = 0.0;
    for (int start = 0; start < n; start += BUFFER) {
      res += pairwise(values, start, Math.min(BUFFER, n - start));
    }
    return res;
  }

  /** {@code np.mean(values[0:n])}; NaN when {@code n == 0}. */
  static double mean(double[] values, int n) {
    return n == 0 ? Double.NaN : sum(values, n) / n;
  }

  private static double pairwise(double[] a, int off, int n) {
    if (n < 8) {
      double res = 0.0;
      for (int i = 0; i < n; i++) {
        res += a[off + i];
      }
      return res;
    }
    if (n <= BLOCK) {
      double r0 = a[off];
      double r1 = a[off + 1];
      double r2 = a[off + 2];
      double r3 = a[off + 3];
      double r4 = a[off + 4];
      double r5 = a[off + 5];
      double r6 = a[off + 6];
      double r7 = a[off + 7];
      int i = 8;
      int end = n - (n % 8);
      for (; i < end; i += 8) {
        r0 += a[off + i];
        r1 += a[off + i + 1];
        r2 += a[off + i + 2];
        r3 += a[off + i + 3];
        r4 += a[off + i + 4];
        r5 += a[off + i + 5];
        r6 += a[off + i + 6];
        r7 += a[off + i + 7];
      }
      double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
      for (; i < n; i++) {
        res += a[off + i];
      }
      return res;
    }
    int n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise(a, off, n2) + pairwise(a, off + n2, n - n2);
  }
}
