package org.grievance.ssd.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.CubicCurve2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * Paints one labelled object of a class onto its own {@link Layer}. The requested size is the
 * square root of the intended box area; the painted extent is then measured from the pixels.
 */
final class ObjectPainter {
  private ObjectPainter() {}

  /** Width/height aspect ranges per class (the shapes' natural proportions). */
  static double[] aspectRange(SynthClass type) {
    return switch (type) {
      case POTHOLE -> new double[] {1.1, 2.2};
      case GARBAGE -> new double[] {0.8, 1.7};
      case STREETLIGHT -> new double[] {0.35, 0.6};
      case WATERLEAK -> new double[] {1.4, 2.6};
      case GRAFFITI -> new double[] {0.9, 2.2};
    };
  }

  /** Paints an object of about {@code size} pixels, at most maxW x maxH (before tilt). */
  static Layer paint(SynthClass type, double size, double maxW, double maxH, Rng rng) {
    double[] ar = aspectRange(type);
    double aspect = rng.logUniform(ar[0], ar[1]);
    double w = Math.min(maxW, Math.max(6, size * Math.sqrt(aspect)));
    double h = Math.min(maxH, Math.max(6, size / Math.sqrt(aspect)));
    // The tilted street light leans and reaches sideways by up to its height: give it room.
    double margin = type == SynthClass.STREETLIGHT ? h : 0;
    double vMargin = type == SynthClass.STREETLIGHT ? h * 0.25 : 0;
    Layer layer =
        new Layer((int) Math.ceil(w + 2 * margin) + 2, (int) Math.ceil(h + 2 * vMargin) + 2);
    Graphics2D g = layer.graphics();
    g.translate(1 + margin, 1 + vMargin);
    switch (type) {
      case POTHOLE -> pothole(g, w, h, rng);
      case GARBAGE -> garbage(g, w, h, rng);
      case STREETLIGHT -> streetlight(g, w, h, rng);
      case WATERLEAK -> waterleak(g, w, h, rng);
      case GRAFFITI -> graffiti(g, w, h, rng);
    }
    g.dispose();
    return layer.measure();
  }

  private static void pothole(Graphics2D g, double w, double h, Rng rng) {
    double cx = w / 2;
    double cy = h / 2;
    Shape outer = Shapes.blob(rng, cx, cy, w / 2, h / 2, rng.intIn(11, 16), 0.18);
    Color dark = rng.hsb(0, 0.5, 0.08, 0.28);
    Color rim = Shapes.lighten(rng.hsb(0, 0.35, 0.45, 0.75), rng.uniform(0.1, 0.4));
    g.setColor(rim);
    g.fill(outer);
    double inset = rng.uniform(0.72, 0.84);
    Shape inner = Shapes.blob(rng, cx, cy, w / 2 * inset, h / 2 * inset, rng.intIn(11, 16), 0.18);
    g.setColor(dark);
    g.fill(inner);
    // Rough speckled interior: lighter and darker grains, plus a few cracks.
    g.setClip(inner);
    int grains = (int) (w * h / rng.uniform(8, 16));
    for (int i = 0; i < grains; i++) {
      double f = rng.chance(0.5) ? rng.uniform(1.4, 2.6) : rng.uniform(0.3, 0.7);
      g.setColor(Shapes.shade(dark, f));
      double d = rng.uniform(1, Math.max(1.5, Math.min(w, h) / 14));
      g.fill(new Ellipse2D.Double(rng.uniform(0, w), rng.uniform(0, h), d, d));
    }
    g.setStroke(new BasicStroke((float) Math.max(1, Math.min(w, h) / 30)));
    g.setColor(Shapes.shade(dark, 0.4));
    for (int i = rng.intIn(1, 3); i > 0; i--) {
      double x = cx + rng.uniform(-w / 4, w / 4);
      double y = cy + rng.uniform(-h / 4, h / 4);
      for (int s = 0; s < 4; s++) {
        double nx = x + rng.uniform(-w / 6, w / 6);
        double ny = y + rng.uniform(-h / 6, h / 6);
        g.draw(new Line2D.Double(x, y, nx, ny));
        x = nx;
        y = ny;
      }
    }
    g.setClip(null);
    // Broken-edge chips on the rim.
    g.setColor(Shapes.shade(rim, 0.75));
    for (int i = rng.intIn(3, 8); i > 0; i--) {
      double a = rng.uniform(0, 2 * Math.PI);
      double r = rng.uniform(0.78, 0.9);
      double d = Math.max(1.5, Math.min(w, h) * rng.uniform(0.04, 0.09));
      g.fill(
          new Ellipse2D.Double(
              cx + w / 2 * r * Math.cos(a) - d / 2, cy + h / 2 * r * Math.sin(a) - d / 2, d, d));
    }
  }

  private static void garbage(Graphics2D g, double w, double h, Rng rng) {
    int pieces = rng.intIn(8, 16);
    double unit = Math.min(w, h);
    g.setStroke(new BasicStroke((float) Math.max(1, unit / 40)));
    for (int i = 0; i < pieces; i++) {
      // Mound: pieces near the middle may sit higher; the pile rests on the bottom edge.
      double rx = unit * rng.uniform(0.14, 0.26);
      double ry = rx * rng.uniform(0.7, 1.2);
      double x = rng.uniform(rx, w - rx);
      double centrality = 1 - Math.abs(x - w / 2) / (w / 2);
      double top = ry + (h - 2 * ry) * (1 - centrality) * 0.8;
      double y = rng.uniform(Math.min(top, h - ry), h - ry);
      Color c = rng.hsb(0.45, 1, 0.35, 1);
      Shape s =
          rng.chance(0.5)
              ? Shapes.polygon(rng, x, y, rx, ry, rng.intIn(4, 7))
              : Shapes.blob(rng, x, y, rx, ry, 8, 0.25);
      g.setColor(c);
      g.fill(s);
      g.setColor(Shapes.shade(c, 0.45));
      g.draw(s);
      if (rng.chance(0.4)) {
        // A bag's tied knot.
        g.draw(new Line2D.Double(x, y - ry, x + rng.uniform(-rx, rx) / 2, y - ry * 1.25));
      }
    }
    // Small bits of litter around the pile.
    for (int i = rng.intIn(3, 8); i > 0; i--) {
      double d = unit * rng.uniform(0.04, 0.09);
      g.setColor(rng.anyColor());
      g.fill(new Rectangle2D.Double(rng.uniform(0, w - d), rng.uniform(h * 0.4, h - d), d, d));
    }
  }

  private static void streetlight(Graphics2D g, double w, double h, Rng rng) {
    // Street lights stand upright; a damaged one leans a little.
    double tilt = Math.toRadians(rng.uniform(0, 10)) * rng.sign();
    // A pole a few pixels wide even on small lights: thinner ones vanish when the detector's input
    // is scaled down, and a street light is a sturdy mast, not a wire.
    double poleW = Math.max(3, w * rng.uniform(0.18, 0.26));
    // Fit the tilted pole plus arm inside the w x h box: pole length from the height.
    double len = h * rng.uniform(0.85, 0.97) / Math.cos(tilt);
    double arm = Math.min(w * rng.uniform(0.7, 1.1), len * 0.35);
    int side = rng.sign();
    double baseX = w / 2;
    AffineTransform saved = g.getTransform();
    g.translate(baseX, h);
    g.rotate(tilt);
    Color pole = rng.hsb(0, 0.5, 0.2, 0.75);
    g.setColor(pole);
    g.fill(new Rectangle2D.Double(-poleW / 2, -len, poleW, len));
    // Base plate.
    g.fill(new Rectangle2D.Double(-poleW, -Math.max(2, poleW * 0.8), poleW * 2, poleW * 0.8));
    // Arm and lamp head at the top.
    g.setStroke(new BasicStroke((float) Math.max(1.5, poleW * 0.6)));
    double ax = side * arm;
    double ay = -len + rng.uniform(0, 0.06) * len;
    g.draw(new Line2D.Double(0, -len + poleW / 2, ax, ay));
    double headW = Math.max(5, arm * rng.uniform(0.7, 1.0));
    double headH = Math.max(3, headW * rng.uniform(0.35, 0.55));
    Path2D head = new Path2D.Double();
    head.moveTo(ax - headW / 2, ay);
    head.lineTo(ax + headW / 2, ay);
    head.lineTo(ax + headW * 0.35, ay + headH);
    head.lineTo(ax - headW * 0.35, ay + headH);
    head.closePath();
    g.setColor(Shapes.shade(pole, 0.7));
    g.fill(head);
    // Broken glass: a jagged lighter shard hanging under the head.
    Color glass = rng.hsb(0, 0.6, 0.7, 1.0);
    g.setColor(glass);
    Path2D shard = new Path2D.Double();
    shard.moveTo(ax - headW * 0.3, ay + headH);
    shard.lineTo(ax - headW * 0.05, ay + headH * rng.uniform(1.5, 2.1));
    shard.lineTo(ax + headW * 0.05, ay + headH * 1.2);
    shard.lineTo(ax + headW * 0.2, ay + headH * rng.uniform(1.4, 1.9));
    shard.lineTo(ax + headW * 0.3, ay + headH);
    shard.closePath();
    g.fill(shard);
    g.setTransform(saved);
  }

  private static void waterleak(Graphics2D g, double w, double h, Rng rng) {
    double cx = w * rng.uniform(0.4, 0.6);
    double cy = h * rng.uniform(0.45, 0.55);
    Shape puddle = Shapes.blob(rng, cx, cy, w * 0.42, h * 0.42, rng.intIn(9, 13), 0.22);
    Color water = rng.hsb(0.15, 0.6, 0.35, 0.75);
    // Wet streaks trailing away from the puddle.
    g.setStroke(
        new BasicStroke(
            (float) Math.max(2, Math.min(w, h) * rng.uniform(0.08, 0.14)),
            BasicStroke.CAP_ROUND,
            BasicStroke.JOIN_ROUND));
    g.setColor(Shapes.withAlpha(Shapes.shade(water, 0.85), 220));
    for (int i = rng.intIn(2, 4); i > 0; i--) {
      double a = rng.uniform(0, 2 * Math.PI);
      double ex = w / 2 + Math.cos(a) * w * 0.47;
      double ey = h / 2 + Math.sin(a) * h * 0.47;
      g.draw(new Line2D.Double(cx, cy, ex, ey));
    }
    g.setColor(Shapes.withAlpha(water, 235));
    g.fill(puddle);
    // Concentric ripples and a specular highlight, clipped to the puddle.
    g.setClip(puddle);
    Color ripple = Shapes.lighten(water, rng.uniform(0.35, 0.6));
    g.setColor(ripple);
    g.setStroke(new BasicStroke((float) Math.max(1, Math.min(w, h) / 28)));
    double rcx = cx + rng.uniform(-w, w) * 0.1;
    double rcy = cy + rng.uniform(-h, h) * 0.1;
    int rings = rng.intIn(2, 4);
    for (int i = 1; i <= rings; i++) {
      double rx = w * 0.38 * i / rings;
      double ry = h * 0.38 * i / rings;
      g.draw(new Ellipse2D.Double(rcx - rx, rcy - ry, 2 * rx, 2 * ry));
    }
    g.setColor(Shapes.withAlpha(Color.WHITE, 170));
    g.setStroke(new BasicStroke((float) Math.max(1, Math.min(w, h) / 20)));
    g.draw(
        new java.awt.geom.Arc2D.Double(
            cx - w * 0.3, cy - h * 0.3, w * 0.3, h * 0.3, 100, 70, java.awt.geom.Arc2D.OPEN));
    g.setClip(null);
  }

  private static void graffiti(Graphics2D g, double w, double h, Rng rng) {
    Color wall = rng.hsb(0, 0.3, 0.55, 0.92);
    g.setColor(wall);
    g.fill(new Rectangle2D.Double(0, 0, w, h));
    g.setColor(Shapes.shade(wall, 0.6));
    g.setStroke(new BasicStroke((float) Math.max(1, Math.min(w, h) / 40)));
    g.draw(new Rectangle2D.Double(0.5, 0.5, w - 1, h - 1));
    g.setClip(new Rectangle2D.Double(0, 0, w, h));
    int colours = rng.intIn(1, 3);
    Color[] paint = new Color[colours];
    for (int i = 0; i < colours; i++) {
      paint[i] = rng.hsb(0.6, 1, 0.3, 1);
    }
    float width = (float) Math.max(2, Math.min(w, h) * rng.uniform(0.08, 0.14));
    BasicStroke outline =
        new BasicStroke(width * 1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    BasicStroke body = new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    int strokes = rng.intIn(3, 6);
    for (int i = 0; i < strokes; i++) {
      Shape curve =
          new CubicCurve2D.Double(
              rng.uniform(0.05, 0.3) * w,
              rng.uniform(0.1, 0.9) * h,
              rng.uniform(0, 1) * w,
              rng.uniform(-0.3, 1.3) * h,
              rng.uniform(0, 1) * w,
              rng.uniform(-0.3, 1.3) * h,
              rng.uniform(0.7, 0.95) * w,
              rng.uniform(0.1, 0.9) * h);
      Color c = paint[i % colours];
      if (rng.chance(0.5)) {
        g.setStroke(outline);
        g.setColor(Shapes.shade(c, 0.3));
        g.draw(curve);
      }
      g.setStroke(body);
      g.setColor(c);
      g.draw(curve);
      // Paint drips.
      if (rng.chance(0.5)) {
        g.setStroke(new BasicStroke(Math.max(1, width / 3)));
        double x = rng.uniform(0.2, 0.8) * w;
        double y = rng.uniform(0.3, 0.7) * h;
        g.draw(new Line2D.Double(x, y, x, y + h * rng.uniform(0.1, 0.3)));
      }
    }
    g.setClip(null);
  }
}
