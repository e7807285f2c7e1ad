package org.grievance.ssd.synth;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.image.RgbImage;

/**
 * Renders one synthetic street scene from a seed: background, clutter, distractors, labelled
 * objects (each painted on its own layer so its box is measured from the drawn pixels), occluders
 * and a final photometric jitter. The same (config, seed) always gives the same image and boxes.
 */
public final class SceneRenderer {
  /** A truncated object keeps at least this share of its box area inside the image. */
  static final double MIN_VISIBLE = 0.5;

  /** A later object or occluder may cover at most this share of an earlier object's box. */
  static final double MAX_COVER = 0.35;

  /** Labelled objects may overlap each other at most this much (IoU), so each stays findable. */
  static final double MAX_IOU = 0.3;

  private SceneRenderer() {}

  /** A placed object: its layer and its full (possibly out-of-image) box. */
  private record Placed(SynthClass type, Layer layer, int xmin, int ymin, SynthObject box) {}

  /** Renders the image with seed {@code imageSeed} at the config's size and difficulty. */
  public static SynthSample render(SynthConfig cfg, long imageSeed) {
    Rng rng = new Rng(imageSeed);
    int width = cfg.width();
    int height = cfg.height();
    double unit = Math.min(width, height);

    List<Placed> placed = new ArrayList<>();
    int wanted = rng.intIn(cfg.minObjects(), cfg.maxObjects());
    SynthClass[] classes = SynthClass.values();
    for (int i = 0; i < wanted; i++) {
      SynthClass type = rng.pick(classes);
      double size = rng.logUniform(cfg.minObjectSize(), cfg.maxObjectSize()) * unit;
      Layer layer = ObjectPainter.paint(type, size, width * 0.95, height * 0.95, rng);
      if (layer.isEmpty() || layer.boxWidth() > width || layer.boxHeight() > height) {
        continue;
      }
      boolean truncate = rng.chance(cfg.truncationProbability());
      for (int attempt = 0; attempt < 30; attempt++) {
        Placed p = place(type, layer, width, height, truncate, rng);
        if (p != null && fits(p.box(), placed)) {
          placed.add(p);
          break;
        }
      }
    }

    BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    Backgrounds.paint(canvas, g, rng);

    int clutter =
        (int) Math.round(cfg.clutterDensity() * width * height / 10_000.0 * rng.uniform(0.5, 1.5));
    Distractors.clutter(g, width, height, clutter, rng);

    int distractors = rng.intIn(cfg.minDistractors(), cfg.maxDistractors());
    for (int i = 0; i < distractors; i++) {
      double size = rng.logUniform(cfg.minObjectSize(), cfg.maxObjectSize()) * unit;
      boolean lookAlike = rng.chance(cfg.lookAlikeFraction());
      for (int attempt = 0; attempt < 15; attempt++) {
        double x = rng.uniform(-0.2 * size, width - 0.8 * size);
        double y = rng.uniform(-0.2 * size, height - 0.8 * size);
        // Conservative extent: the tallest distractor (sign post) is 2 sizes high.
        Rectangle2D extent = new Rectangle2D.Double(x, y, 1.5 * size, 2.0 * size);
        if (coversNoObject(extent, placed, 0.15)) {
          Distractors.paint(g, x, y, size, lookAlike, rng);
          break;
        }
      }
    }

    for (Placed p : placed) {
      g.drawImage(p.layer().image, p.xmin() - p.layer().x0, p.ymin() - p.layer().y0, null);
    }

    for (Placed p : placed) {
      if (!rng.chance(cfg.occlusionProbability())) {
        continue;
      }
      SynthObject b = p.box();
      Rectangle2D r =
          Distractors.occluderBounds(
              b.xmin(), b.ymin(), b.width(), b.height(), rng.uniform(0.15, 0.35), rng);
      List<Placed> others = new ArrayList<>(placed);
      others.remove(p);
      if (coversNoObject(r, others, MAX_COVER)) {
        Distractors.occluder(g, r, rng);
      }
    }
    g.dispose();

    photometric(canvas, rng);
    if (cfg.look() == SynthLook.DUSK) {
      dusk(canvas, rng);
    }
    List<SynthObject> objects = new ArrayList<>(placed.size());
    for (Placed p : placed) {
      objects.add(p.box());
    }
    return new SynthSample(RgbImage.fromBufferedImage(canvas), objects);
  }

  /** Picks a position; with {@code truncate} part of the object hangs over one image border. */
  private static Placed place(
      SynthClass type, Layer layer, int width, int height, boolean truncate, Rng rng) {
    int bw = layer.boxWidth();
    int bh = layer.boxHeight();
    int xmin = rng.intIn(0, width - bw);
    int ymin = rng.intIn(0, height - bh);
    if (truncate) {
      double visible = rng.uniform(MIN_VISIBLE + 0.05, 0.9);
      switch (rng.intIn(0, 3)) {
        case 0 -> xmin = -(int) Math.round(bw * (1 - visible));
        case 1 -> xmin = width - (int) Math.round(bw * visible);
        case 2 -> ymin = -(int) Math.round(bh * (1 - visible));
        default -> ymin = height - (int) Math.round(bh * visible);
      }
    }
    int x0 = Math.max(0, xmin);
    int y0 = Math.max(0, ymin);
    int x1 = Math.min(width, xmin + bw);
    int y1 = Math.min(height, ymin + bh);
    if (x1 - x0 < 2 || y1 - y0 < 2 || (double) (x1 - x0) * (y1 - y0) < MIN_VISIBLE * bw * bh) {
      return null;
    }
    boolean truncated = x0 != xmin || y0 != ymin || x1 != xmin + bw || y1 != ymin + bh;
    return new Placed(type, layer, xmin, ymin, new SynthObject(type, x0, y0, x1, y1, truncated));
  }

  /** The new box neither hides much of an earlier one nor overlaps any of them heavily. */
  private static boolean fits(SynthObject box, List<Placed> placed) {
    for (Placed p : placed) {
      SynthObject o = p.box();
      double inter = intersection(box, o.xmin(), o.ymin(), o.xmax(), o.ymax());
      double areaOld = (double) o.width() * o.height();
      double areaNew = (double) box.width() * box.height();
      if (inter > MAX_COVER * areaOld || inter / (areaOld + areaNew - inter) > MAX_IOU) {
        return false;
      }
    }
    return true;
  }

  private static boolean coversNoObject(Rectangle2D r, List<Placed> placed, double maxShare) {
    for (Placed p : placed) {
      SynthObject o = p.box();
      double inter = intersection(o, r.getMinX(), r.getMinY(), r.getMaxX(), r.getMaxY());
      if (inter > maxShare * o.width() * o.height()) {
        return false;
      }
    }
    return true;
  }

  private static double intersection(SynthObject a, double x0, double y0, double x1, double y1) {
    double w = Math.min(a.xmax(), x1) - Math.max(a.xmin(), x0);
    double h = Math.min(a.ymax(), y1) - Math.max(a.ymin(), y0);
    return w > 0 && h > 0 ? w * h : 0;
  }

  /**
   * Sodium-lamp dusk, after the day's photometric step (so a day image draws the same random
   * numbers with or without this look): each channel scaled towards orange and flattened, the light
   * level varying per image, then more grain.
   */
  private static void dusk(BufferedImage canvas, Rng rng) {
    double light = rng.uniform(0.45, 0.7);
    int[][] lut = new int[3][256];
    double[] gain = {1.0, 0.72, 0.35};
    double[] lift = {28, 14, 6};
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        lut[c][v] = Shapes.clamp((int) Math.round(v * light * gain[c] + lift[c]));
      }
    }
    int[] px = ((DataBufferInt) canvas.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < px.length; i++) {
      int p = px[i];
      px[i] = (lut[0][(p >> 16) & 0xFF] << 16) | (lut[1][(p >> 8) & 0xFF] << 8) | lut[2][p & 0xFF];
    }
    Backgrounds.grain(canvas, rng, rng.uniform(3, 6));
  }

  /** Per-image brightness/contrast change and sensor-like grain. */
  private static void photometric(BufferedImage canvas, Rng rng) {
    double contrast = rng.uniform(0.8, 1.15);
    double brightness = rng.uniform(-20, 20);
    int[] px = ((DataBufferInt) canvas.getRaster().getDataBuffer()).getData();
    int[] lut = new int[256];
    for (int v = 0; v < 256; v++) {
      lut[v] = Shapes.clamp((int) Math.round((v - 128) * contrast + 128 + brightness));
    }
    for (int i = 0; i < px.length; i++) {
      int p = px[i];
      px[i] = (lut[(p >> 16) & 0xFF] << 16) | (lut[(p >> 8) & 0xFF] << 8) | lut[p & 0xFF];
    }
    Backgrounds.grain(canvas, rng, rng.uniform(1, 3));
  }
}
