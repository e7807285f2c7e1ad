package org.grievance.ssd.synth;

import java.awt.Color;
import java.awt.geom.Path2D;

/** Shape and colour helpers shared by the painters. */
final class Shapes {
  private Shapes() {}

  /**
   * A closed smooth irregular blob inside the ellipse centred at (cx, cy) with radii (rx, ry):
   * {@code n} vertices whose radii vary by up to {@code roughness}, joined by quadratic curves
   * through the edge midpoints.
   */
  static Path2D blob(Rng rng, double cx, double cy, double rx, double ry, int n, double roughness) {
    double[] xs = new double[n];
    double[] ys = new double[n];
    double phase = rng.uniform(0, 2 * Math.PI);
    for (int i = 0; i < n; i++) {
      double a = phase + 2 * Math.PI * (i + rng.uniform(-0.3, 0.3)) / n;
      double r = 1 - roughness * rng.uniform(0, 1);
      xs[i] = cx + rx * r * Math.cos(a);
      ys[i] = cy + ry * r * Math.sin(a);
    }
    Path2D.Double p = new Path2D.Double();
    p.moveTo((xs[n - 1] + xs[0]) / 2, (ys[n - 1] + ys[0]) / 2);
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      p.quadTo(xs[i], ys[i], (xs[i] + xs[j]) / 2, (ys[i] + ys[j]) / 2);
    }
    p.closePath();
    return p;
  }

  /** A random convex-ish polygon with {@code n} corners around (cx, cy). */
  static Path2D polygon(Rng rng, double cx, double cy, double rx, double ry, int n) {
    Path2D.Double p = new Path2D.Double();
    double phase = rng.uniform(0, 2 * Math.PI);
    for (int i = 0; i < n; i++) {
      double a = phase + 2 * Math.PI * (i + rng.uniform(-0.25, 0.25)) / n;
      double r = rng.uniform(0.6, 1.0);
      double x = cx + rx * r * Math.cos(a);
      double y = cy + ry * r * Math.sin(a);
      if (i == 0) {
        p.moveTo(x, y);
      } else {
        p.lineTo(x, y);
      }
    }
    p.closePath();
    return p;
  }

  /** {@code c} with brightness scaled by {@code factor} (clamped). */
  static Color shade(Color c, double factor) {
    return new Color(
        clamp((int) Math.round(c.getRed() * factor)),
        clamp((int) Math.round(c.getGreen() * factor)),
        clamp((int) Math.round(c.getBlue() * factor)),
        c.getAlpha());
  }

  /** {@code c} moved towards white by {@code t} in [0, 1]. */
  static Color lighten(Color c, double t) {
    return new Color(
        clamp((int) Math.round(c.getRed() + (255 - c.getRed()) * t)),
        clamp((int) Math.round(c.getGreen() + (255 - c.getGreen()) * t)),
        clamp((int) Math.round(c.getBlue() + (255 - c.getBlue()) * t)),
        c.getAlpha());
  }

  static Color withAlpha(Color c, int alpha) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
  }

  static int clamp(int v) {
    return v < 0 ? 0 : (v > 255 ? 255 : v);
  }
}
