package org.grievance.ssd.eval;

/** How a precision/recall curve becomes one average precision. */
public enum ApMetric {
  /**
   * Pascal VOC 2007: mean of the interpolated precision at the 11 recall levels {@code i·0.1}
   * (computed in double, so the fourth level is 0.30000000000000004 and a recall of exactly 0.3
   * does not reach it, as in the devkit).
   */
  VOC07_11_POINT,
  /** Pascal VOC 2010+: area under the monotone precision envelope, over all recall points. */
  VOC2010_ALL_POINT
}
