package org.grievance.ssd.eval;

/**
 * The Pascal VOC average-precision formulas, evaluated in the same floating-point order as the
 * devkit's {@code voc_ap} (py-faster-rcnn {@code voc_eval.py}) so results match it exactly.
 */
final class VocAp {
  private VocAp() {}

  static double compute(ApMetric metric, double[] recall, double[] precision) {
    return metric == ApMetric.VOC07_11_POINT
        ? elevenPoint(recall, precision)
        : allPoint(recall, precision);
  }

  /**
   * VOC2007: for {@code t = i·0.1} (i = 0..10, in double), {@code p(t)} = max precision with recall
   * {@code >= t}, 0 if none; the devkit accumulates {@code p/11} term by term (not {@code Σp/11}).
   */
  static double elevenPoint(double[] recall, double[] precision) {
    double ap = 0.0;
    for (int i = 0; i <= 10; i++) {
      double t = i * 0.1;
      double p = 0.0;
      boolean any = false;
      for (int k = 0; k < recall.length; k++) {
        if (recall[k] >= t) {
          p = any ? Math.max(p, precision[k]) : precision[k];
          any = true;
        }
      }
      ap += p / 11.0;
    }
    return ap;
  }

  /**
   * VOC2010+: sentinels (0, 0) and (1, 0) around the curve, precision made non-increasing from the
   * right, then {@code Σ Δrecall · precision} over the points where recall changes (NumPy-ordered
   * sum).
   */
  static double allPoint(double[] recall, double[] precision) {
    int n = recall.length + 2;
    double[] mrec = new double[n];
    double[] mpre = new double[n];
    System.arraycopy(recall, 0, mrec, 1, recall.length);
    System.arraycopy(precision, 0, mpre, 1, precision.length);
    mrec[n - 1] = 1.0;
    for (int i = n - 1; i > 0; i--) {
      mpre[i - 1] = Math.max(mpre[i - 1], mpre[i]);
    }
    double[] terms = new double[n - 1];
    int m = 0;
    for (int i = 0; i < n - 1; i++) {
      if (mrec[i + 1] != mrec[i]) {
        terms[m++] = (mrec[i + 1] - mrec[i]) * mpre[i + 1];
      }
    }
    return NumpySum.sum(terms, m);
  }
}
