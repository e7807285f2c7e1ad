package org.grievance.ssd.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleFunction;
import org.grievance.ssd.image.RgbImage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RandomOpsTest {
  private static final double[][] LABELS = {{1, 10, 10, 40, 30}, {2, 5, 20, 25, 45}};

  private static Labeled sample() {
    return Labeled.of(TestImages.noise(50, 60, 11), LABELS);
  }

  /** Every random op as a function of its probability. */
  private static final List<DoubleFunction<Transform>> OPS =
      List.of(
          p -> new Photometric(new RandomBrightness(-40, 40, p)),
          p -> new Photometric(new RandomContrast(0.5, 1.5, p)),
          p ->
              new Photometric(
                  ConvertColor.RGB_TO_HSV,
                  new RandomSaturation(0.2, 0.5, p),
                  ConvertColor.HSV_TO_RGB),
          p ->
              new Photometric(
                  ConvertColor.RGB_TO_HSV, new RandomHue(90, p), ConvertColor.HSV_TO_RGB),
          p -> new Photometric(new RandomChannelSwap(p)),
          p -> new RandomFlip(Flip.Dim.HORIZONTAL, p),
          p -> new RandomTranslate(0.1, 0.2, 0.1, 0.2, p, true, null, null, 3, Background.BLACK),
          p -> new RandomScale(1.2, 1.5, p, true, null, null, 3, Background.BLACK),
          p -> new RandomRotate(List.of(90, 180, 270), p),
          p ->
              new RandomPatch(
                  PatchCoordinateGenerator.builder().scale(0.4, 0.8).build(),
                  null,
                  null,
                  3,
                  true,
                  p,
                  Background.BLACK,
                  false));

  @Test
  @DisplayName("prob 0 never fires, prob 1 always fires")
  void probabilitiesAreHonoured() {
    Labeled in = sample();
    // Saturation and hue run between HSV conversions, which alone are (slightly) lossy.
    RgbImage hsvRoundTrip =
        new Photometric(ConvertColor.RGB_TO_HSV, ConvertColor.HSV_TO_RGB)
            .apply(in, new SplittableRandom(0))
            .image();
    for (int k = 0; k < OPS.size(); k++) {
      RgbImage unchanged = k == 2 || k == 3 ? hsvRoundTrip : in.image();
      for (long seed = 0; seed < 20; seed++) {
        Labeled never = OPS.get(k).apply(0.0).apply(in, new SplittableRandom(seed));
        assertThat(never.image()).as("op %d with p=0, seed %d", k, seed).isEqualTo(unchanged);
        assertThat(never.labels()).isSameAs(in.labels());
        Labeled always = OPS.get(k).apply(1.0).apply(in, new SplittableRandom(seed));
        assertThat(always.image()).as("op %d with p=1, seed %d", k, seed).isNotEqualTo(unchanged);
      }
    }
  }

  @Test
  void sameSeedSameResult() {
    Labeled in = sample();
    for (int k = 0; k < OPS.size(); k++) {
      Transform t = OPS.get(k).apply(0.5);
      for (long seed = 0; seed < 5; seed++) {
        Labeled a = t.apply(in, new SplittableRandom(seed));
        Labeled b = t.apply(in, new SplittableRandom(seed));
        assertThat(a.image()).isEqualTo(b.image());
        assertThat(a.labels()).isDeepEqualTo(b.labels());
      }
    }
  }

  @Test
  void geometricRandomOpsWorkWithoutLabels() {
    Labeled in = Labeled.of(TestImages.noise(30, 40, 3));
    for (DoubleFunction<Transform> op : OPS) {
      Labeled out = op.apply(1.0).apply(in, new SplittableRandom(2));
      assertThat(out.labels()).isEmpty();
    }
  }

  @Test
  void randomTranslateFallsBackToTheInputWhenNoTrialValidates() {
    // Any shift of >= 50% moves the only box's centre out of a 20-px image.
    Labeled in = Labeled.of(TestImages.noise(20, 20, 4), new double[][] {{1, 8, 8, 12, 12}});
    ImageValidator v = new ImageValidator(OverlapCriterion.CENTER_POINT, new Bounds(0, 1), 1);
    Transform t = new RandomTranslate(0.7, 0.9, 0.7, 0.9, 1.0, true, null, v, 3, Background.BLACK);
    assertThat(t.apply(in, new SplittableRandom(1))).isSameAs(in);
  }

  @Test
  void photometricOpsKeepValuesInRangeAndLabelsUntouched() {
    Labeled in = sample();
    Transform t =
        PhotometricChains.contrastLast(
            new RandomRange(-48, 48, 1),
            new RandomRange(0.5, 1.8, 1),
            new RandomRange(0.5, 1.8, 1),
            PhotometricChains.hue(18, 1));
    Labeled out = t.apply(in, new SplittableRandom(5));
    assertThat(out.labels()).isSameAs(in.labels());
    assertThat(out.image()).isNotEqualTo(in.image());
  }

  @Test
  void hsvRoundTripIsCloseAndExactForGrays() {
    int[] hsv = new int[3];
    int[] rgb = new int[3];
    SplittableRandom r = new SplittableRandom(9);
    for (int i = 0; i < 2000; i++) {
      int a = r.nextInt(256);
      int b = r.nextInt(256);
      int c = r.nextInt(256);
      ConvertColor.rgbToHsv(a, b, c, hsv);
      assertThat(hsv[0]).isBetween(0, 179);
      ConvertColor.hsvToRgb(hsv[0], hsv[1], hsv[2], rgb);
      // 8-bit hue has 2° steps: the round trip is lossy by a few levels, never more.
      assertThat(Math.abs(rgb[0] - a) + Math.abs(rgb[1] - b) + Math.abs(rgb[2] - c)).isLessThan(12);
    }
    for (int g = 0; g < 256; g++) {
      ConvertColor.rgbToHsv(g, g, g, hsv);
      assertThat(hsv).containsExactly(0, 0, g);
      ConvertColor.hsvToRgb(hsv[0], hsv[1], hsv[2], rgb);
      assertThat(rgb).containsExactly(g, g, g);
    }
    ConvertColor.rgbToHsv(255, 0, 0, hsv);
    assertThat(hsv).containsExactly(0, 255, 255);
    ConvertColor.rgbToHsv(0, 0, 255, hsv);
    assertThat(hsv).containsExactly(120, 255, 255);
  }

  @Test
  void hueWrapsWithFloorModulo() {
    FloatImage f = new FloatImage(1, 1, new float[] {10f, 0f, 0f});
    new Hue(-30).apply(f, null);
    assertThat(f.data()[0]).isEqualTo(160f);
  }

  @Test
  void uint8ConversionRoundsHalfToEven() {
    FloatImage f = new FloatImage(1, 2, new float[] {0.5f, 1.5f, 2.5f, 127.5f, 128.5f, 254.5f});
    RgbImage img = f.toRgbImage();
    assertThat(
            new int[] {
              img.get(0, 0, 0),
              img.get(0, 0, 1),
              img.get(0, 0, 2),
              img.get(0, 1, 0),
              img.get(0, 1, 1),
              img.get(0, 1, 2)
            })
        .containsExactly(0, 2, 2, 128, 128, 254);
  }
}
