package org.grievance.ssd.synth;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * A transparent ARGB canvas one object is painted on before it is composited into the scene, so its
 * box can be measured from the pixels it actually covers.
 */
final class Layer {
  /** Pixels at least this opaque count as part of the object (drops faint anti-aliasing fringe). */
  static final int ALPHA_THRESHOLD = 96;

  final BufferedImage image;

  /** Tight bounds of the opaque pixels in layer coordinates, x1/y1 exclusive; x0 = -1 if empty. */
  int x0 = -1;

  int y0;
  int x1;
  int y1;

  Layer(int width, int height) {
    image = new BufferedImage(Math.max(1, width), Math.max(1, height), BufferedImage.TYPE_INT_ARGB);
  }

  Graphics2D graphics() {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    return g;
  }

  /** Measures the tight bounds; call after painting. */
  Layer measure() {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] px = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    int minX = w;
    int minY = h;
    int maxX = -1;
    int maxY = -1;
    for (int y = 0; y < h; y++) {
      int o = y * w;
      for (int x = 0; x < w; x++) {
        if ((px[o + x] >>> 24) >= ALPHA_THRESHOLD) {
          if (x < minX) {
            minX = x;
          }
          if (x > maxX) {
            maxX = x;
          }
          if (y < minY) {
            minY = y;
          }
          maxY = y;
        }
      }
    }
    if (maxX < 0) {
      x0 = -1;
    } else {
      x0 = minX;
      y0 = minY;
      x1 = maxX + 1;
      y1 = maxY + 1;
    }
    return this;
  }

  boolean isEmpty() {
    return x0 < 0;
  }

  int boxWidth() {
    return x1 - x0;
  }

  int boxHeight() {
    return y1 - y0;
  }
}
