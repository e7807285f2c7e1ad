package org.grievance.ssd.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.grievance.ssd.image.RgbImage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GeometricTest {
  private static final SplittableRandom RNG = new SplittableRandom(7);

  @Test
  @DisplayName("clipping without a filter can create degenerate boxes")
  void cropPadClipCanCreateDegenerateBoxes() {
    RgbImage img = TestImages.noise(100, 50, 1);
    double[][] labels = {{1, 0, 0, 10, 10}, {2, 30, 5, 90, 40}};
    Labeled out =
        new CropPad(-10, 20, 70, 60, true, null, Background.BLACK)
            .apply(Labeled.of(img, labels), RNG);
    assertThat(out.labels()[0]).containsExactly(1, 0, 10, 0, 20);
    assertThat(out.labels()[1]).containsExactly(2, 10, 15, 59, 50);
  }

  @Test
  @DisplayName("CropPad works without labels (reference quirk 7 fixed)")
  void cropPadWithoutLabels() {
    RgbImage img = TestImages.noise(10, 12, 2);
    Labeled out =
        new CropPad(2, -3, 5, 20, true, null, Background.BLACK).apply(Labeled.of(img), RNG);
    assertThat(out.labels()).isEmpty();
    assertThat(out.height()).isEqualTo(5);
    assertThat(out.image().get(0, 3, 1)).isEqualTo(img.get(2, 0, 1));
    assertThat(out.image().get(0, 0, 0)).isZero();
  }

  @Test
  void cropPadRejectsAnOriginBeyondTheImage() {
    Labeled in = Labeled.of(TestImages.noise(10, 12, 2));
    assertThatThrownBy(() -> new CropPad(11, 0, 3, 3, true, null, Background.BLACK).apply(in, RNG))
        .hasMessageContaining("ymin=11");
  }

  @Test
  @DisplayName("flip uses W − x")
  void flipUsesWidthNotWidthMinusOne() {
    Labeled in = Labeled.of(TestImages.noise(20, 100, 3), new double[][] {{1, 0, 5, 10, 15}});
    Labeled out = new Flip(Flip.Dim.HORIZONTAL).apply(in, RNG);
    assertThat(out.labels()[0]).containsExactly(1, 90, 5, 100, 15);
    Labeled twice = new Flip(Flip.Dim.HORIZONTAL).apply(out, RNG);
    assertThat(twice.image()).isEqualTo(in.image());
    assertThat(twice.labels()[0]).containsExactly(in.labels()[0]);
  }

  @Test
  void rotationsComposeToIdentity() {
    Labeled in = Labeled.of(TestImages.noise(7, 11, 4), new double[][] {{1, 1, 2, 6, 5}});
    Labeled r = new Rotate(90).apply(in, RNG);
    assertThat(r.height()).isEqualTo(11);
    Labeled back = new Rotate(270).apply(r, RNG);
    assertThat(back.image()).isEqualTo(in.image());
    assertThat(back.labels()[0]).containsExactly(in.labels()[0]);
    Labeled half = new Rotate(180).apply(new Rotate(180).apply(in, RNG), RNG);
    assertThat(half.image()).isEqualTo(in.image());
  }

  @Test
  void invertersMapPredictionsBackThroughACompositeChain() {
    Labeled in = Labeled.of(TestImages.noise(40, 60, 5), new double[][] {{1, 10, 8, 30, 20}});
    Transform chain =
        new Sequence(
            new Pad(5, 3, 7, 1, Background.BLACK),
            new Flip(Flip.Dim.HORIZONTAL),
            new Rotate(90),
            new Translate(0.1, -0.1, false, null, Background.BLACK),
            new Resize(96, 48));
    Labeled out = chain.apply(in, RNG);
    // A "prediction" equal to the transformed label must map back to the original label.
    double[] l = out.labels()[0];
    double[][] pred = {{l[0], 0.9, l[1], l[2], l[3], l[4]}};
    double[][] back = out.inverter().invert(pred);
    assertThat(back[0]).containsExactly(1, 0.9, 10, 8, 30, 20);
    assertThat(pred[0][2]).isEqualTo(l[1]); // input untouched
  }

  @Test
  @DisplayName("Resize rounds labels half to even")
  void resizeRoundsHalfToEven() {
    // x·(3/6) = 2.5 → 2, 3.5 → 4; y·(4/8) = 0.5 → 0, 1.5 → 2.
    Labeled in = Labeled.of(TestImages.noise(8, 6, 6), new double[][] {{1, 5, 1, 7, 3}});
    Labeled out = new Resize(4, 3).apply(in, RNG);
    assertThat(out.labels()[0]).containsExactly(1, 2, 0, 4, 2);
  }

  @Test
  void everyInterpolationKeepsAConstantImageConstant() {
    RgbImage flat = RgbImage.filled(13, 17, 200, 10, 99);
    for (Interpolation mode : Interpolation.values()) {
      for (int[] size : new int[][] {{5, 7}, {30, 41}, {13, 40}}) {
        Labeled out = new Resize(size[0], size[1], mode, null).apply(Labeled.of(flat), RNG);
        assertThat(out.image())
            .as("%s to %dx%d", mode, size[0], size[1])
            .isEqualTo(RgbImage.filled(size[0], size[1], 200, 10, 99));
      }
    }
  }

  @Test
  void scaleByOneIsTheIdentityAndTranslateShiftsPixelsExactly() {
    RgbImage img = TestImages.noise(9, 10, 8);
    Labeled same = new Scale(1.0, true, null, Background.BLACK).apply(Labeled.of(img), RNG);
    assertThat(same.image()).isEqualTo(img);
    Labeled moved =
        new Translate(0.2, -0.3, true, null, new Background(1, 2, 3)).apply(Labeled.of(img), RNG);
    // dy = rint(1.8) = 2, dx = rint(-3.0) = -3: pixel (x, y) → (x − 3, y + 2).
    assertThat(moved.image().get(2, 0, 0)).isEqualTo(img.get(0, 3, 0));
    assertThat(moved.image().get(0, 0, 1)).isEqualTo(2);
    assertThat(moved.image().get(5, 9, 2)).isEqualTo(3);
  }

  @Test
  void cropAndPadMatchTheirCropPadDefinitions() {
    RgbImage img = TestImages.noise(10, 14, 9);
    Labeled in = Labeled.of(img, new double[][] {{1, 2, 1, 9, 7}});
    Labeled crop = new Crop(1, 2, 3, 1, true, null).apply(in, RNG);
    Labeled viaCropPad = new CropPad(1, 3, 7, 10, true, null, Background.BLACK).apply(in, RNG);
    assertThat(crop.image()).isEqualTo(viaCropPad.image());
    Labeled pad = new Pad(1, 2, 3, 4, Background.BLACK).apply(in, RNG);
    assertThat(pad.height()).isEqualTo(13);
    assertThat(pad.width()).isEqualTo(21);
    assertThat(pad.labels()[0]).containsExactly(1, 5, 2, 12, 8);
  }

  @Test
  void labelRowsMustHoldFiveValues() {
    assertThatThrownBy(() -> Labeled.of(TestImages.noise(2, 2, 1), new double[][] {{1, 2, 3}}))
        .hasMessageContaining("label row 0");
  }
}
