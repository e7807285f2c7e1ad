package org.grievance.ssd.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;

/**
 * Unlabelled things a detector must learn to ignore: generic shapes, look-alikes that share one
 * trait with a class but lack its defining one, small clutter, and occluders.
 */
final class Distractors {
  private Distractors() {}

  private enum LookAlike {
    /** Round, dark, regular grid: a pothole without rim or rough texture. */
    MANHOLE,
    /** Upright pole with a flat sign: a street light without tilt, arm or lamp head. */
    SIGNPOST,
    /** One-colour box with planks: not a multi-coloured pile. */
    CRATE,
    /** Rectangle with tidy rows of short lines: not tangled strokes. */
    POSTER,
    /** Smooth translucent dark ellipse: no ripples, no rim. */
    SHADOW
  }

  /**
   * Paints a distractor of about {@code size} pixels (sqrt of area) inside a w x h box at (x, y).
   */
  static void paint(Graphics2D g, double x, double y, double size, boolean lookAlike, Rng rng) {
    if (lookAlike) {
      paintLookAlike(g, x, y, size, rng.pick(LookAlike.values()), rng);
    } else {
      paintGeneric(g, x, y, size, rng);
    }
  }

  private static void paintGeneric(Graphics2D g, double x, double y, double size, Rng rng) {
    double aspect = rng.logUniform(0.4, 2.5);
    double w = size * Math.sqrt(aspect);
    double h = size / Math.sqrt(aspect);
    Color c = rng.anyColor();
    Shape s =
        switch (rng.intIn(0, 3)) {
          case 0 -> new Ellipse2D.Double(x, y, w, h);
          case 1 -> new Rectangle2D.Double(x, y, w, h);
          case 2 -> new RoundRectangle2D.Double(x, y, w, h, w / 3, h / 3);
          default -> Shapes.polygon(rng, x + w / 2, y + h / 2, w / 2, h / 2, rng.intIn(3, 6));
        };
    g.setColor(c);
    g.fill(s);
    if (rng.chance(0.5)) {
      g.setColor(Shapes.shade(c, 0.5));
      g.setStroke(new BasicStroke((float) Math.max(1, size / 30)));
      g.draw(s);
    }
  }

  private static void paintLookAlike(
      Graphics2D g, double x, double y, double size, LookAlike kind, Rng rng) {
    switch (kind) {
      case MANHOLE -> {
        double d = size;
        double ry = d * rng.uniform(0.55, 1.0);
        Color metal = rng.hsb(0, 0.3, 0.12, 0.4);
        Ellipse2D disc = new Ellipse2D.Double(x, y, d, ry);
        g.setColor(metal);
        g.fill(disc);
        g.setClip(disc);
        g.setColor(Shapes.shade(metal, 1.8));
        g.setStroke(new BasicStroke((float) Math.max(1, d / 25)));
        int bars = rng.intIn(4, 8);
        for (int i = 1; i < bars; i++) {
          double gx = x + d * i / bars;
          double gy = y + ry * i / bars;
          g.draw(new Line2D.Double(gx, y, gx, y + ry));
          g.draw(new Line2D.Double(x, gy, x + d, gy));
        }
        g.setClip(null);
        g.setColor(Shapes.shade(metal, 0.6));
        g.draw(disc);
      }
      case SIGNPOST -> {
        double hgt = size * rng.uniform(1.4, 2.0);
        double poleW = Math.max(2, hgt * rng.uniform(0.03, 0.06));
        Color pole = rng.hsb(0, 0.4, 0.3, 0.8);
        g.setColor(pole);
        g.fill(new Rectangle2D.Double(x + size / 2 - poleW / 2, y, poleW, hgt));
        double sw = size * rng.uniform(0.5, 0.9);
        double sh = sw * rng.uniform(0.6, 1.0);
        Color sign = rng.hsb(0.5, 1, 0.5, 1);
        g.setColor(sign);
        Shape plate =
            rng.chance(0.5)
                ? new Ellipse2D.Double(x + size / 2 - sw / 2, y, sw, sw)
                : new Rectangle2D.Double(x + size / 2 - sw / 2, y, sw, sh);
        g.fill(plate);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke((float) Math.max(1, sw / 12)));
        g.draw(plate);
      }
      case CRATE -> {
        double w = size * rng.uniform(0.9, 1.3);
        double h = size * rng.uniform(0.7, 1.0);
        Color wood = rng.hsb(0, 0.7, 0.35, 0.85);
        g.setColor(wood);
        g.fill(new Rectangle2D.Double(x, y, w, h));
        g.setColor(Shapes.shade(wood, 0.55));
        g.setStroke(new BasicStroke((float) Math.max(1, size / 20)));
        g.draw(new Rectangle2D.Double(x, y, w, h));
        for (int i = 1; i < 4; i++) {
          g.draw(new Line2D.Double(x, y + h * i / 4, x + w, y + h * i / 4));
        }
        g.draw(new Line2D.Double(x, y, x + w, y + h));
      }
      case POSTER -> {
        double w = size * rng.uniform(0.8, 1.4);
        double h = size * rng.uniform(0.8, 1.3);
        Color paper = rng.hsb(0, 0.3, 0.6, 0.95);
        g.setColor(paper);
        g.fill(new Rectangle2D.Double(x, y, w, h));
        g.setColor(rng.hsb(0.3, 1, 0.1, 0.5));
        g.setStroke(new BasicStroke((float) Math.max(1, h / 22)));
        int lines = rng.intIn(3, 7);
        for (int i = 1; i <= lines; i++) {
          double ly = y + h * i / (lines + 1);
          double lx = x + w * 0.1;
          while (lx < x + w * 0.85) {
            double word = w * rng.uniform(0.08, 0.22);
            g.draw(new Line2D.Double(lx, ly, Math.min(lx + word, x + w * 0.9), ly));
            lx += word + w * 0.05;
          }
        }
      }
      case SHADOW -> {
        double w = size * rng.uniform(1.2, 2.0);
        double h = size * rng.uniform(0.5, 0.9);
        g.setColor(Shapes.withAlpha(rng.hsb(0, 0.4, 0.05, 0.3), rng.intIn(110, 200)));
        g.fill(Shapes.blob(rng, x + w / 2, y + h / 2, w / 2, h / 2, 10, 0.1));
      }
    }
  }

  /** Small litter, stones, leaves and lines scattered over the background. */
  static void clutter(Graphics2D g, int width, int height, int count, Rng rng) {
    double unit = Math.min(width, height);
    for (int i = 0; i < count; i++) {
      double s = unit * rng.uniform(0.01, 0.05);
      double x = rng.uniform(-s, width);
      double y = rng.uniform(-s, height);
      g.setColor(rng.anyColor());
      switch (rng.intIn(0, 3)) {
        case 0 -> g.fill(new Ellipse2D.Double(x, y, s, s * rng.uniform(0.4, 1)));
        case 1 -> g.fill(new Rectangle2D.Double(x, y, s, s * rng.uniform(0.3, 1)));
        case 2 -> {
          g.setStroke(new BasicStroke((float) rng.uniform(0.8, 2.5)));
          double len = unit * rng.uniform(0.04, 0.15);
          double a = rng.uniform(0, Math.PI);
          g.draw(new Line2D.Double(x, y, x + len * Math.cos(a), y + len * Math.sin(a)));
        }
        default -> g.fill(Shapes.polygon(rng, x, y, s / 2, s / 2, 3));
      }
    }
  }

  /**
   * Where an occluder (bar, pole, blob or bin) for the box (bx, by, bw, bh) goes: it reaches in
   * from one side by {@code depth}, a fraction of the box extent along that axis.
   */
  static Rectangle2D occluderBounds(
      double bx, double by, double bw, double bh, double depth, Rng rng) {
    int side = rng.intIn(0, 3);
    if (side < 2) {
      double ow = bw * depth;
      double oh = bh * rng.uniform(0.6, 1.4);
      double ox = side == 0 ? bx - ow * rng.uniform(0, 0.3) : bx + bw - ow * rng.uniform(0.7, 1.0);
      double oy = by + bh / 2 - oh / 2 + rng.uniform(-0.2, 0.2) * bh;
      return new Rectangle2D.Double(ox, oy, ow, oh);
    }
    double oh = bh * depth;
    double ow = bw * rng.uniform(0.6, 1.4);
    double oy = side == 2 ? by - oh * rng.uniform(0, 0.3) : by + bh - oh * rng.uniform(0.7, 1.0);
    double ox = bx + bw / 2 - ow / 2 + rng.uniform(-0.2, 0.2) * bw;
    return new Rectangle2D.Double(ox, oy, ow, oh);
  }

  /** Paints an occluder filling {@code r}: a rounded bin/bar or a blob, in any colour. */
  static void occluder(Graphics2D g, Rectangle2D r, Rng rng) {
    Color c = rng.anyColor();
    double ox = r.getX();
    double oy = r.getY();
    double ow = r.getWidth();
    double oh = r.getHeight();
    Shape s =
        rng.chance(0.5)
            ? new RoundRectangle2D.Double(ox, oy, ow, oh, ow / 4, oh / 4)
            : Shapes.blob(rng, ox + ow / 2, oy + oh / 2, ow / 2, oh / 2, 9, 0.15);
    g.setColor(c);
    g.fill(s);
    g.setColor(Shapes.shade(c, 0.5));
    g.setStroke(new BasicStroke(1.2f));
    g.draw(s);
  }
}
