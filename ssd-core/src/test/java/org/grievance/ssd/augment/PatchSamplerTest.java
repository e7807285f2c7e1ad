package org.grievance.ssd.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PatchSamplerTest {
  @Test
  @DisplayName("a rejecting step stops the chain (reference quirk 11 fixed)")
  void rejectionStopsTheSequence() {
    Labeled in = Labeled.of(TestImages.noise(20, 20, 1), new double[][] {{1, 0, 0, 2, 2}});
    // Validator needs every box fully inside; patches are at most 5x5 placed anywhere: with a
    // box at the corner and 'area' >= 1 the patch must contain (0,0)-(2,2) with origin 0 — make it
    // impossible with bounds above 1.
    ImageValidator impossible = new ImageValidator(OverlapCriterion.AREA, new Bounds(1.5, 2), 1);
    RandomPatch patch =
        new RandomPatch(
            PatchCoordinateGenerator.builder().scale(0.1, 0.25).build(),
            null,
            impossible,
            3,
            true,
            1.0,
            Background.BLACK,
            true);
    int[] calls = {0};
    Transform after =
        (s, r) -> {
          calls[0]++;
          return s;
        };
    assertThat(new Sequence(patch, after).apply(in, new SplittableRandom(1))).isNull();
    assertThat(calls[0]).isZero();
    RandomPatch lenient =
        new RandomPatch(
            PatchCoordinateGenerator.builder().scale(0.1, 0.25).build(),
            null,
            impossible,
            3,
            true,
            1.0,
            Background.BLACK,
            false);
    assertThat(lenient.apply(in, new SplittableRandom(1))).isSameAs(in);
  }

  @Test
  @DisplayName(
      "RandomPatchInf rejects patches by aspect ratio and returns the input when the draw fails")
  void randomPatchInfAspectRatioAndProbability() {
    Labeled in = Labeled.of(TestImages.noise(40, 40, 2), new double[][] {{1, 5, 5, 35, 35}});
    PatchCoordinateGenerator gen =
        PatchCoordinateGenerator.builder().scale(0.3, 1.0).aspectRatio(0.9, 1.1).build();
    RandomPatchInf inf =
        new RandomPatchInf(gen, null, null, null, 50, true, 1.0, Background.BLACK, 1000);
    for (long seed = 0; seed < 30; seed++) {
      Labeled out = inf.apply(in, new SplittableRandom(seed));
      double ar = (double) out.width() / out.height();
      assertThat(ar).isBetween(0.9, 1.1);
    }
    RandomPatchInf never =
        new RandomPatchInf(gen, null, null, null, 50, true, 0.0, Background.BLACK, 1000);
    assertThat(never.apply(in, new SplittableRandom(3))).isSameAs(in);
  }

  @Test
  void randomPatchInfValidatesWithDrawnBounds() {
    Labeled in = Labeled.of(TestImages.noise(60, 60, 3), new double[][] {{1, 10, 10, 30, 30}});
    PatchCoordinateGenerator gen = PatchCoordinateGenerator.builder().build();
    ImageValidator v = new ImageValidator(OverlapCriterion.IOU, new Bounds(0, 1), 1);
    BoundGenerator strict = new BoundGenerator(java.util.List.of(new Bounds(0.7, 1)), null);
    RandomPatchInf inf =
        new RandomPatchInf(gen, null, v, strict, 50, true, 1.0, Background.BLACK, 1000);
    for (long seed = 0; seed < 10; seed++) {
      Labeled out = inf.apply(in, new SplittableRandom(seed));
      if (out != in) {
        double[] l = out.labels()[0];
        double iou =
            org.grievance.ssd.box.Boxes.iouCorners(
                l[1], l[2], l[3], l[4], 0, 0, out.width(), out.height(), 0);
        assertThat(iou).isGreaterThan(0.7);
      }
    }
  }

  @Test
  @DisplayName("RandomPadFixedAR always pads (reference quirk 12 fixed)")
  void padFixedArNeverCrops() {
    // Landscape 40x100 (HxW) to ratio 0.5: the reference (decision by orientation) would make
    // w = 100, h = round(100/0.5) = 200 — fine — but to ratio 3 it would crop to h = 33.
    Labeled in = Labeled.of(TestImages.noise(40, 100, 4), new double[][] {{1, 0, 0, 100, 40}});
    for (double ar : new double[] {0.5, 1.0, 2.5, 3.0, 4.0}) {
      Labeled out = new RandomPadFixedAR(ar, Background.BLACK).apply(in, new SplittableRandom(1));
      assertThat(out.height()).isGreaterThanOrEqualTo(40);
      assertThat(out.width()).isGreaterThanOrEqualTo(100);
      assertThat((double) out.width() / out.height())
          .isCloseTo(ar, org.assertj.core.data.Offset.offset(0.05));
      double[] l = out.labels()[0];
      assertThat(l[3] - l[1]).isEqualTo(100);
      assertThat(l[4] - l[2]).isEqualTo(40);
    }
  }

  @Test
  void maxCropFixedArTakesTheLargestPatchRoundedHalfToEven() {
    // 10x25 image, ratio 2: narrower than... W/H = 2.5 >= 2 → h = 10, w = 20.
    Labeled in = Labeled.of(TestImages.noise(10, 25, 5));
    Labeled out =
        new RandomMaxCropFixedAR(2.0, null, null, 3, true).apply(in, new SplittableRandom(1));
    assertThat(out.height()).isEqualTo(10);
    assertThat(out.width()).isEqualTo(20);
    // 10x15, ratio 6: W/H = 1.5 < 6 → w = 15, h = rint(2.5) = 2 (half to even).
    Labeled tall =
        new RandomMaxCropFixedAR(6.0, null, null, 3, true)
            .apply(Labeled.of(TestImages.noise(10, 15, 6)), new SplittableRandom(1));
    assertThat(tall.height()).isEqualTo(2);
    assertThat(tall.width()).isEqualTo(15);
  }

  @Test
  void patchGeneratorDrawsInsideOrAroundTheImage() {
    PatchCoordinateGenerator g = PatchCoordinateGenerator.builder().scale(0.5, 2.0).build();
    SplittableRandom rng = new SplittableRandom(8);
    for (int i = 0; i < 200; i++) {
      PatchCoords p = g.generate(30, 40, rng);
      if (p.height() <= 30) {
        assertThat(p.ymin()).isBetween(0, 30 - p.height());
      } else {
        assertThat(p.ymin()).isBetween(30 - p.height(), 0);
      }
      assertThat(p.width()).isBetween(20, 80);
    }
  }
}
