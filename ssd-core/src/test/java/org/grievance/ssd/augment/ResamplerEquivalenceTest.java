package org.grievance.ssd.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.grievance.ssd.image.RgbImage;
import org.junit.jupiter.api.Test;

/** The optimised pixel loops against the straightforward ones in {@link ReferenceResampler}. */
class ResamplerEquivalenceTest {
  private static final Background[] BACKGROUNDS = {
    Background.BLACK, Background.SSD_MEAN, new Background(255, 0, 7)
  };

  @Test
  void resizeMatchesForEveryModeAndRandomSizes() {
    SplittableRandom r = new SplittableRandom(5);
    for (int trial = 0; trial < 300; trial++) {
      int inH = r.nextInt(1, 70);
      int inW = r.nextInt(1, 70);
      // Mostly downscales by up to 8x (where rows are skipped), some upscales.
      int outH = r.nextBoolean() ? Math.max(1, inH / r.nextInt(1, 9)) : r.nextInt(1, 90);
      int outW = r.nextBoolean() ? Math.max(1, inW / r.nextInt(1, 9)) : r.nextInt(1, 90);
      RgbImage img = TestImages.noise(inH, inW, trial);
      for (Interpolation mode : Interpolation.values()) {
        assertThat(Resampler.resize(img, outH, outW, mode))
            .as("%s %dx%d -> %dx%d", mode, inH, inW, outH, outW)
            .isEqualTo(ReferenceResampler.resize(img, outH, outW, mode));
      }
    }
  }

  @Test
  void warpScaleMatchesForZoomInZoomOutAndExtremeFactors() {
    SplittableRandom r = new SplittableRandom(6);
    double[] factors = {1.0, 0.5, 2.0, 0.01, 50, 1e-4};
    for (int trial = 0; trial < 300; trial++) {
      int h = r.nextInt(1, 40);
      int w = r.nextInt(1, 40);
      double f = trial < factors.length ? factors[trial] : r.nextDouble(0.3, 3);
      double tx = (1 - f) * (w / 2.0) + (trial % 3 == 0 ? r.nextDouble(-20, 20) : 0);
      double ty = (1 - f) * (h / 2.0) + (trial % 3 == 1 ? r.nextDouble(-20, 20) : 0);
      double fy = trial % 5 == 0 ? r.nextDouble(0.3, 3) : f;
      Background bg = BACKGROUNDS[trial % BACKGROUNDS.length];
      RgbImage img = TestImages.noise(h, w, trial);
      assertThat(Resampler.warpScale(img, f, tx, fy, ty, bg))
          .as("trial %d: %dx%d f=%s fy=%s tx=%s ty=%s", trial, h, w, f, fy, tx, ty)
          .isEqualTo(ReferenceResampler.warpScale(img, f, tx, fy, ty, bg));
    }
  }

  @Test
  void horizontalFlipMatches() {
    for (int w = 1; w < 12; w++) {
      RgbImage img = TestImages.noise(3, w, w);
      Labeled out = new Flip(Flip.Dim.HORIZONTAL).apply(Labeled.of(img), null);
      assertThat(out.image()).isEqualTo(ReferenceResampler.flipHorizontal(img));
    }
  }

  @Test
  void backgroundFillRepeatsTheColourEverywhere() {
    for (Background bg : BACKGROUNDS) {
      for (int n = 1; n < 40; n++) {
        byte[] px = bg.fill(1, n);
        for (int i = 0; i < px.length; i++) {
          assertThat(px[i] & 0xFF).as("%s, %d px, byte %d", bg, n, i).isEqualTo(bg.channel(i % 3));
        }
      }
    }
  }
}
