package org.grievance.ssd.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/** Street-scene backgrounds: asphalt, paving tiles, brick walls, gradients, or wall over road. */
final class Backgrounds {
  private Backgrounds() {}

  private enum Kind {
    ROAD,
    PAVEMENT,
    WALL,
    GRADIENT,
    WALL_OVER_ROAD
  }

  /** Fills the whole {@code TYPE_INT_RGB} canvas. */
  static void paint(BufferedImage canvas, Graphics2D g, Rng rng) {
    int h = canvas.getHeight();
    Kind kind = rng.pick(Kind.values());
    switch (kind) {
      case ROAD -> road(canvas, g, rng, 0, h);
      case PAVEMENT -> pavement(canvas, rng);
      case WALL -> wall(canvas, rng, 0, h);
      case GRADIENT -> gradient(canvas, rng);
      case WALL_OVER_ROAD -> {
        int horizon = (int) (h * rng.uniform(0.25, 0.55));
        wall(canvas, rng, 0, horizon);
        road(canvas, g, rng, horizon, h);
      }
    }
    grain(canvas, rng, rng.uniform(2, 7));
  }

  private static int[] pixels(BufferedImage canvas) {
    return ((DataBufferInt) canvas.getRaster().getDataBuffer()).getData();
  }

  /** Asphalt: smooth value noise over a grey base, lane markings, cracks; rows [y0, y1). */
  private static void road(BufferedImage canvas, Graphics2D g, Rng rng, int y0, int y1) {
    int w = canvas.getWidth();
    Color base = rng.hsb(0, 0.12, 0.25, 0.55);
    valueNoise(canvas, rng, y0, y1, base, rng.uniform(6, 16), rng.intIn(6, 16));
    Graphics2D r = (Graphics2D) g.create(0, y0, w, y1 - y0);
    int rh = y1 - y0;
    // Dashed lane markings.
    for (int i = rng.intIn(0, 2); i > 0; i--) {
      Color paint = rng.chance(0.6) ? new Color(230, 230, 225) : new Color(225, 190, 60);
      r.setColor(Shapes.shade(paint, rng.uniform(0.75, 1.0)));
      float lineW = (float) Math.max(2, rh * rng.uniform(0.015, 0.035));
      float dash = (float) (w * rng.uniform(0.06, 0.15));
      r.setStroke(
          new BasicStroke(
              lineW,
              BasicStroke.CAP_BUTT,
              BasicStroke.JOIN_MITER,
              10f,
              new float[] {dash, dash * (float) rng.uniform(0.6, 1.5)},
              (float) rng.uniform(0, dash)));
      double ya = rh * rng.uniform(0.1, 0.9);
      double yb = ya + rh * rng.uniform(-0.25, 0.25);
      r.draw(new Line2D.Double(-5, ya, w + 5, yb));
    }
    // Cracks.
    r.setColor(Shapes.shade(base, 0.45));
    r.setStroke(new BasicStroke((float) rng.uniform(0.8, 1.8)));
    for (int i = rng.intIn(0, 4); i > 0; i--) {
      double x = rng.uniform(0, w);
      double y = rng.uniform(0, rh);
      for (int s = rng.intIn(3, 8); s > 0; s--) {
        double nx = x + rng.uniform(-20, 20);
        double ny = y + rng.uniform(-12, 12);
        r.draw(new Line2D.Double(x, y, nx, ny));
        x = nx;
        y = ny;
      }
    }
    r.dispose();
  }

  /** Square or rectangular paving tiles with grout lines and per-tile colour jitter. */
  private static void pavement(BufferedImage canvas, Rng rng) {
    int w = canvas.getWidth();
    int h = canvas.getHeight();
    int[] px = pixels(canvas);
    Color base = rng.hsb(0, 0.25, 0.45, 0.8);
    int tw = rng.intIn(14, 40);
    int th = rng.chance(0.5) ? tw : rng.intIn(10, 30);
    int grout = rng.intIn(1, 3);
    Color groutColour = Shapes.shade(base, rng.uniform(0.45, 0.7));
    int cols = w / tw + 2;
    int rows = h / th + 2;
    int[] tile = new int[cols * rows];
    for (int i = 0; i < tile.length; i++) {
      tile[i] = Shapes.shade(base, rng.uniform(0.85, 1.12)).getRGB();
    }
    boolean offsetRows = rng.chance(0.5);
    for (int y = 0; y < h; y++) {
      int row = y / th;
      int shift = offsetRows && (row & 1) == 1 ? tw / 2 : 0;
      for (int x = 0; x < w; x++) {
        int xs = x + shift;
        boolean isGrout = y % th < grout || xs % tw < grout;
        px[y * w + x] = isGrout ? groutColour.getRGB() : tile[row * cols + xs / tw];
      }
    }
  }

  /** Brick wall in rows [y0, y1): offset courses, mortar, per-brick colour jitter. */
  private static void wall(BufferedImage canvas, Rng rng, int y0, int y1) {
    int w = canvas.getWidth();
    int[] px = pixels(canvas);
    Color brick = rng.hsb(0, 0.6, 0.35, 0.8);
    Color mortar = Shapes.lighten(rng.hsb(0, 0.15, 0.5, 0.8), rng.uniform(0, 0.4));
    int bh = rng.intIn(6, 14);
    int bw = (int) (bh * rng.uniform(2, 3.2));
    int cols = w / bw + 3;
    int rows = (y1 - y0) / bh + 2;
    int[] shadeOf = new int[cols * rows];
    for (int i = 0; i < shadeOf.length; i++) {
      shadeOf[i] = Shapes.shade(brick, rng.uniform(0.8, 1.15)).getRGB();
    }
    for (int y = y0; y < y1; y++) {
      int row = (y - y0) / bh;
      int shift = (row & 1) == 1 ? bw / 2 : 0;
      for (int x = 0; x < w; x++) {
        int xs = x + shift;
        boolean isMortar = (y - y0) % bh == 0 || xs % bw == 0;
        px[y * w + x] = isMortar ? mortar.getRGB() : shadeOf[row * cols + xs / bw];
      }
    }
  }

  /** A smooth two-colour gradient (plain ground or painted surface). */
  private static void gradient(BufferedImage canvas, Rng rng) {
    int w = canvas.getWidth();
    int h = canvas.getHeight();
    int[] px = pixels(canvas);
    Color a = rng.hsb(0, 0.5, 0.3, 0.9);
    Color b = rng.hsb(0, 0.5, 0.3, 0.9);
    double angle = rng.uniform(0, Math.PI);
    double dx = Math.cos(angle);
    double dy = Math.sin(angle);
    double span = Math.abs(dx) * w + Math.abs(dy) * h;
    double off = Math.min(0, dx * w) + Math.min(0, dy * h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double t = (dx * x + dy * y - off) / span;
        int r = (int) (a.getRed() + (b.getRed() - a.getRed()) * t);
        int gg = (int) (a.getGreen() + (b.getGreen() - a.getGreen()) * t);
        int bb = (int) (a.getBlue() + (b.getBlue() - a.getBlue()) * t);
        px[y * w + x] = (Shapes.clamp(r) << 16) | (Shapes.clamp(gg) << 8) | Shapes.clamp(bb);
      }
    }
  }

  /** Bilinear value noise of amplitude {@code amp} on a grid of {@code cell} pixels. */
  private static void valueNoise(
      BufferedImage canvas, Rng rng, int y0, int y1, Color base, double amp, int cell) {
    int w = canvas.getWidth();
    int[] px = pixels(canvas);
    int gw = w / cell + 2;
    int gh = (y1 - y0) / cell + 2;
    double[] grid = new double[gw * gh];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = rng.uniform(-amp, amp);
    }
    for (int y = y0; y < y1; y++) {
      int gy = (y - y0) / cell;
      double fy = (double) ((y - y0) % cell) / cell;
      for (int x = 0; x < w; x++) {
        int gx = x / cell;
        double fx = (double) (x % cell) / cell;
        double top = grid[gy * gw + gx] * (1 - fx) + grid[gy * gw + gx + 1] * fx;
        double bot = grid[(gy + 1) * gw + gx] * (1 - fx) + grid[(gy + 1) * gw + gx + 1] * fx;
        int d = (int) Math.round(top * (1 - fy) + bot * fy);
        px[y * w + x] =
            (Shapes.clamp(base.getRed() + d) << 16)
                | (Shapes.clamp(base.getGreen() + d) << 8)
                | Shapes.clamp(base.getBlue() + d);
      }
    }
  }

  /** Per-pixel luminance grain of standard deviation {@code sigma}. */
  static void grain(BufferedImage canvas, Rng rng, double sigma) {
    int[] px = pixels(canvas);
    for (int i = 0; i < px.length; i++) {
      int d = (int) Math.round(rng.gaussian() * sigma);
      int p = px[i];
      px[i] =
          (Shapes.clamp(((p >> 16) & 0xFF) + d) << 16)
              | (Shapes.clamp(((p >> 8) & 0xFF) + d) << 8)
              | Shapes.clamp((p & 0xFF) + d);
    }
  }
}
