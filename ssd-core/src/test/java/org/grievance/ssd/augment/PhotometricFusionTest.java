package org.grievance.ssd.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grievance.ssd.image.RgbImage;
import org.junit.jupiter.api.Test;

/** The lookup-table path of {@link Photometric} against its defining float path. */
class PhotometricFusionTest {
  @Test
  void hsvToRgbOnPixelsMatchesTheScalarConversionForEveryInput() {
    int[] out = new int[3];
    byte[] px = new byte[256 * 256 * 3];
    for (int h = 0; h < 256; h++) {
      for (int s = 0, i = 0; s < 256; s++) {
        for (int v = 0; v < 256; v++, i += 3) {
          px[i] = (byte) h;
          px[i + 1] = (byte) s;
          px[i + 2] = (byte) v;
        }
      }
      ConvertColor.HSV_TO_RGB.applyUint8(px, 0, px.length);
      for (int s = 0, i = 0; s < 256; s++) {
        for (int v = 0; v < 256; v++, i += 3) {
          ConvertColor.hsvToRgb(h, s, v, out);
          if ((px[i] & 0xFF) != out[0]
              || (px[i + 1] & 0xFF) != out[1]
              || (px[i + 2] & 0xFF) != out[2]) {
            throw new AssertionError("HSV (" + h + ", " + s + ", " + v + ")");
          }
        }
      }
    }
  }

  @Test
  void rgbToHsvOnPixelsMatchesTheScalarConversionForEveryInput() {
    int[] out = new int[3];
    byte[] px = new byte[256 * 256 * 3];
    for (int r = 0; r < 256; r++) {
      for (int g = 0, i = 0; g < 256; g++) {
        for (int b = 0; b < 256; b++, i += 3) {
          px[i] = (byte) r;
          px[i + 1] = (byte) g;
          px[i + 2] = (byte) b;
        }
      }
      ConvertColor.RGB_TO_HSV.applyUint8(px, 0, px.length);
      for (int g = 0, i = 0; g < 256; g++) {
        for (int b = 0; b < 256; b++, i += 3) {
          ConvertColor.rgbToHsv(r, g, b, out);
          if ((px[i] & 0xFF) != out[0]
              || (px[i + 1] & 0xFF) != out[1]
              || (px[i + 2] & 0xFF) != out[2]) {
            throw new AssertionError("RGB (" + r + ", " + g + ", " + b + ")");
          }
        }
      }
    }
  }

  @Test
  void randomSequencesGiveTheFloatPathsPixelsAndDraws() {
    SplittableRandom meta = new SplittableRandom(11);
    for (int trial = 0; trial < 400; trial++) {
      List<PixelOp> ops = new ArrayList<>();
      int n = meta.nextInt(1, 9);
      for (int k = 0; k < n; k++) {
        ops.add(randomOp(meta));
      }
      Photometric p = new Photometric(ops);
      int side = trial % 10 == 0 ? 60 : 20;
      RgbImage img = TestImages.noise(meta.nextInt(1, side), meta.nextInt(1, side), trial);
      long seed = meta.nextLong();
      SplittableRandom a = new SplittableRandom(seed);
      SplittableRandom b = new SplittableRandom(seed);
      RgbImage fused = p.apply(Labeled.of(img), a).image();
      RgbImage reference = p.applyFloat(img, b);
      assertThat(fused).as("trial %d, ops %s", trial, ops).isEqualTo(reference);
      assertThat(a.nextLong()).as("draws consumed, trial %d", trial).isEqualTo(b.nextLong());
    }
  }

  @Test
  void theChainsPhotometricOrdersMatchTheFloatPath() {
    RandomRange r = new RandomRange(-48, 48, 0.5);
    RandomRange f = new RandomRange(0.5, 1.8, 0.5);
    RandomRange h = PhotometricChains.hue(18, 0.5);
    for (Photometric p :
        List.of(
            PhotometricChains.contrastFirst(r, f, f, h),
            PhotometricChains.contrastLast(r, f, f, h))) {
      for (long seed = 0; seed < 64; seed++) {
        RgbImage img = TestImages.noise(45, 67, seed); // several pixel blocks
        RgbImage fused = p.apply(Labeled.of(img), new SplittableRandom(seed)).image();
        assertThat(fused).isEqualTo(p.applyFloat(img, new SplittableRandom(seed)));
      }
    }
  }

  @Test
  void anOutsideOpFallsBackToTheFloatPath() {
    PixelOp invert =
        (image, rng) -> {
          float[] d = image.data();
          for (int i = 0; i < d.length; i++) {
            d[i] = 255.4f - d[i];
          }
        };
    Photometric p = new Photometric(new Brightness(3.3), invert, ConvertColor.RGB_TO_HSV);
    RgbImage img = TestImages.noise(5, 7, 1);
    RgbImage out = p.apply(Labeled.of(img), new SplittableRandom(1)).image();
    assertThat(out).isEqualTo(p.applyFloat(img, new SplittableRandom(1)));
    assertThat(out.get(0, 0, 2)).isNotEqualTo(img.get(0, 0, 2));
  }

  @Test
  void nothingFiringReturnsTheSameSample() {
    Labeled in = Labeled.of(TestImages.noise(5, 7, 1));
    Labeled out =
        new Photometric(new RandomBrightness(-9, 9, 0), new RandomChannelSwap(0))
            .apply(in, new SplittableRandom(3));
    assertThat(out).isSameAs(in);
  }

  @Test
  void saturateRoundsHalfToEvenAndClampsLikeRint() {
    SplittableRandom r = new SplittableRandom(2);
    java.util.List<Float> values =
        new ArrayList<>(
            List.of(Float.NaN, -0f, 0f, -1e30f, 1e30f, 255.5f, 254.5f, 0.5f, 1.5f, -0.5f, 256f));
    for (int k = -2; k < 260; k++) {
      float tie = k + 0.5f;
      values.add(tie);
      values.add(Math.nextUp(tie));
      values.add(Math.nextDown(tie));
      values.add((float) k);
    }
    for (int i = 0; i < 100_000; i++) {
      values.add((float) r.nextDouble(-10, 270));
    }
    for (float v : values) {
      float rint = (float) Math.rint(v);
      int expected = rint <= 0 ? 0 : rint >= 255 ? 255 : (int) rint;
      assertThat(FloatImage.saturate(v)).as("saturate(%s)", v).isEqualTo(expected);
    }
  }

  private static PixelOp randomOp(SplittableRandom r) {
    double prob = r.nextInt(3) * 0.5;
    return switch (r.nextInt(15)) {
      case 0 -> new Brightness(r.nextDouble(-300, 300));
      case 1 -> new Contrast(r.nextDouble(0.01, 3));
      case 2 -> new Saturation(r.nextDouble(0.01, 3));
      case 3 -> new Hue(r.nextDouble(-180, 180));
      case 4 -> new ChannelSwap(new int[] {2, 0, 1});
      case 5 -> ConvertColor.values()[r.nextInt(4)];
      case 6 -> ConvertDataType.UINT8_ROUND_TRIP;
      case 7 -> new RandomBrightness(-48, 48, prob);
      case 8 -> new RandomContrast(0.5, 1.8, prob);
      case 9 -> new RandomSaturation(0.5, 1.8, prob);
      case 10 -> new RandomHue(r.nextDouble(0, 180), prob);
      case 11 -> new RandomChannelSwap(prob);
      case 12 -> ConvertColor.RGB_TO_HSV;
      case 13 -> ConvertColor.HSV_TO_RGB;
      default -> new ChannelSwap(new int[] {1, 0, 2});
    };
  }
}
