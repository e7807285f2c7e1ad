package org.grievance.ssd.augment;

/** The colour filling pixels a geometric transform uncovers (padding, shifted-in borders). */
public record Background(int r, int g, int b) {
  /** The reference's default. */
  public static final Background BLACK = new Background(0, 0, 0);

  /** The ImageNet mean colour the original SSD pads with when expanding. */
  public static final Background SSD_MEAN = new Background(123, 117, 104);

  public Background {
    check("r", r);
    check("g", g);
    check("b", b);
  }

  private static void check(String channel, int v) {
    if (v < 0 || v > 255) {
      throw new IllegalArgumentException(
          "background " + channel + " must be in [0, 255], got " + v);
    }
  }

  /** Channel {@code c} (0 red, 1 green, 2 blue). */
  public int channel(int c) {
    return c == 0 ? r : c == 1 ? g : b;
  }

  /** A fresh pixel array of the given size filled with this colour. */
  byte[] fill(int height, int width) {
    byte[] px = new byte[height * width * 3];
    byte br = (byte) r;
    byte bg = (byte) g;
    byte bb = (byte) b;
    if ((r != 0 || g != 0 || b != 0) && px.length > 0) {
      px[0] = br;
      px[1] = bg;
      px[2] = bb;
      // Doubling copies: a memset-speed fill of a pattern.
      for (int done = 3; done < px.length; done *= 2) {
        System.arraycopy(px, 0, px, done, Math.min(done, px.length - done));
      }
    }
    return px;
  }
}
