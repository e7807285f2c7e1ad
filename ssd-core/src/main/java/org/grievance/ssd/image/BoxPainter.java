package org.grievance.ssd.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Draws labelled boxes on images: ground truth in previews, detections on annotated outputs. Each
 * class has a fixed colour from {@link #PALETTE} (mid-luminance colours that stay visible on light
 * and on dark backgrounds); the outline is a solid band of that colour whose thickness grows with
 * the image, and the label sits on a filled tag of the same colour, in black or white, whichever
 * contrasts more, above the box (inside it when there is no room above).
 */
public final class BoxPainter {
  /**
   * Class colours as {@code 0xRRGGBB}; class {@code k} (1-based) uses entry {@code (k − 1) mod
   * size}. Each has a WCAG contrast ratio of at least 2 against both black and white.
   */
  public static final List<Integer> PALETTE =
      List.of(
          0xE6194B, // crimson
          0x2E9E44, // green
          0x4A6CE0, // blue
          0xE8740C, // orange
          0xA23CC8, // purple
          0x0E9AA7, // teal
          0xD6339E, // magenta
          0x9C8A00, // olive
          0x2C8FD6, // azure
          0xB5651D, // brown
          0x6D8F1A, // moss
          0x5D7A8C); // steel

  /**
   * One box in corner coordinates (pixels, {@code xmax}/{@code ymax} exclusive as everywhere in
   * this project) with its class and an optional label text (null: no tag).
   */
  public record Box(int classId, double xmin, double ymin, double xmax, double ymax, String label) {
    public Box {
      if (!(Double.isFinite(xmin)
          && Double.isFinite(ymin)
          && Double.isFinite(xmax)
          && Double.isFinite(ymax))) {
        throw new IllegalArgumentException(
            "box corners must be finite, got ("
                + xmin
                + ", "
                + ymin
                + ", "
                + xmax
                + ", "
                + ymax
                + ")");
      }
    }
  }

  private BoxPainter() {}

  /** The colour of a class id (any int; ids below 1 share the palette cyclically too). */
  public static Color colour(int classId) {
    int n = PALETTE.size();
    return new Color(PALETTE.get(Math.floorMod(classId - 1, n)));
  }

  /** A detection label: {@code "name 0.87"}. */
  public static String label(String className, double score) {
    return className + " " + String.format(Locale.ROOT, "%.2f", score);
  }

  /** Outline thickness for an image: 1 px up to ~300 px on the shorter side, then one per 300. */
  public static int thickness(int height, int width) {
    return Math.max(1, (int) Math.round(Math.min(height, width) / 300.0));
  }

  /** Label font size for an image: 11 px minimum, about 1/28 of the shorter side. */
  public static int fontSize(int height, int width) {
    return Math.max(11, Math.round(Math.min(height, width) / 28f));
  }

  /** A copy of {@code image} with the boxes drawn. */
  public static RgbImage paint(RgbImage image, List<Box> boxes) {
    BufferedImage b = image.toBufferedImage();
    paint(b, boxes);
    return RgbImage.fromBufferedImage(b);
  }

  /** Draws the boxes onto {@code image} in place, in list order (later boxes on top). */
  public static void paint(BufferedImage image, List<Box> boxes) {
    Objects.requireNonNull(boxes, "boxes");
    int h = image.getHeight();
    int w = image.getWidth();
    int t = thickness(h, w);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, fontSize(h, w)));
      g.setStroke(new BasicStroke(1));
      for (Box box : boxes) {
        Color c = colour(box.classId());
        int x0 = (int) Math.round(box.xmin());
        int y0 = (int) Math.round(box.ymin());
        int x1 = (int) Math.round(box.xmax());
        int y1 = (int) Math.round(box.ymax());
        if (x1 <= x0 || y1 <= y0 || x1 <= 0 || y1 <= 0 || x0 >= w || y0 >= h) {
          continue; // degenerate, or nothing of it inside the image
        }
        g.setColor(c);
        int bw = x1 - x0;
        int bh = y1 - y0;
        int tt = Math.min(t, Math.min(bw, bh));
        // Solid bands inside the box: the outline never covers pixels outside it.
        g.fillRect(x0, y0, bw, tt);
        g.fillRect(x0, y1 - tt, bw, tt);
        g.fillRect(x0, y0, tt, bh);
        g.fillRect(x1 - tt, y0, tt, bh);
        if (box.label() != null && !box.label().isEmpty()) {
          tag(g, box.label(), c, x0, y0, w);
        }
      }
    } finally {
      g.dispose();
    }
  }

  private static void tag(Graphics2D g, String text, Color c, int x0, int y0, int imageWidth) {
    FontMetrics fm = g.getFontMetrics();
    int pad = 2;
    int tw = fm.stringWidth(text) + 2 * pad;
    int th = fm.getAscent() + fm.getDescent() + pad;
    int ty = y0 - th >= 0 ? y0 - th : Math.max(0, y0);
    int tx = Math.max(0, Math.min(x0, imageWidth - tw));
    g.setColor(c);
    g.fillRect(tx, ty, tw, th);
    g.setColor(textColour(c));
    g.drawString(text, tx + pad, ty + fm.getAscent());
  }

  /** Black or white, whichever has the higher contrast against {@code c}. */
  static Color textColour(Color c) {
    double l = luminance(c.getRGB());
    return contrast(l, 0) >= contrast(l, 1) ? Color.BLACK : Color.WHITE;
  }

  /** WCAG relative luminance of {@code 0xRRGGBB}. */
  static double luminance(int rgb) {
    return 0.2126 * linear((rgb >> 16) & 0xFF)
        + 0.7152 * linear((rgb >> 8) & 0xFF)
        + 0.0722 * linear(rgb & 0xFF);
  }

  /** WCAG contrast ratio of two relative luminances. */
  static double contrast(double l1, double l2) {
    return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  }

  private static double linear(int channel) {
    double s = channel / 255.0;
    return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  }
}
