package org.grievance.ssd.augment;

/**
 * Small operations on label rows {@code (class_id, xmin, ymin, xmax, ymax)}; each returns new rows
 * (or, where named {@code ...InPlace}, rewrites rows the caller has just created).
 */
public final class Labels {
  static final int XMIN = 1;
  static final int YMIN = 2;
  static final int XMAX = 3;
  static final int YMAX = 4;

  private Labels() {}

  /** A deep copy. */
  public static double[][] copy(double[][] labels) {
    double[][] out = new double[labels.length][];
    for (int i = 0; i < labels.length; i++) {
      out[i] = labels[i].clone();
    }
    return out;
  }

  /** New rows with every x shifted by {@code dx} and every y by {@code dy}. */
  public static double[][] shift(double[][] labels, double dx, double dy) {
    double[][] out = copy(labels);
    for (double[] row : out) {
      row[XMIN] += dx;
      row[XMAX] += dx;
      row[YMIN] += dy;
      row[YMAX] += dy;
    }
    return out;
  }

  /**
   * Clips, in place, x to {@code [0, width − 1]} and y to {@code [0, height − 1]} (the reference's
   * clip; it can make boxes degenerate, which a later filter or the generator removes).
   */
  public static void clipInPlace(double[][] labels, int height, int width) {
    double xMax = width - 1;
    double yMax = height - 1;
    for (double[] row : labels) {
      row[XMIN] = clamp(row[XMIN], 0, xMax);
      row[XMAX] = clamp(row[XMAX], 0, xMax);
      row[YMIN] = clamp(row[YMIN], 0, yMax);
      row[YMAX] = clamp(row[YMAX], 0, yMax);
    }
  }

  static double clamp(double v, double lo, double hi) {
    return v < lo ? lo : Math.min(v, hi);
  }

  /**
   * Filter (if any), then clip (if asked): the tail every geometric transform shares. {@code fresh}
   * must be rows the caller has just created (they are clipped in place).
   */
  static double[][] filterAndClip(
      double[][] fresh, BoxFilter filter, boolean clip, int height, int width) {
    double[][] out = filter == null ? fresh : filter.filter(fresh, height, width);
    if (clip) {
      clipInPlace(out, height, width);
    }
    return out;
  }
}
