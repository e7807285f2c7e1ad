package org.grievance.ssd.augment;

import java.util.SplittableRandom;
import org.grievance.ssd.image.RgbImage;

/** Deterministic test images. */
final class TestImages {
  private TestImages() {}

  static RgbImage noise(int h, int w, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] px = new byte[h * w * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) r.nextInt(256);
    }
    return new RgbImage(h, w, px);
  }
}
