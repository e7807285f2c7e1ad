package org.grievance.ssd.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChainTest {
  private static final double[][] LABELS = {
    {1, 10, 12, 60, 50}, {2, 70, 5, 118, 40}, {3, 30, 60, 90, 89}, {1, 0, 0, 20, 20}
  };

  private static Labeled sample(long seed) {
    return Labeled.of(TestImages.noise(90, 120, seed), LABELS);
  }

  private static List<Transform> chains() {
    return List.of(
        new ConstantInputSizeAugmentation(ConstantInputSizeAugmentation.Config.defaults()),
        new SsdAugmentation(new SsdAugmentation.Config(64, 80, Background.SSD_MEAN)),
        new VariableInputSizeAugmentation(VariableInputSizeAugmentation.Config.defaults(48, 96)));
  }

  @Test
  void labelsStayInsideTheImageAndNonDegenerate() {
    for (Transform chain : chains()) {
      for (long seed = 0; seed < 30; seed++) {
        Labeled out = chain.apply(sample(seed), new SplittableRandom(seed));
        assertThat(out).isNotNull();
        for (double[] l : out.labels()) {
          String what = chain.getClass().getSimpleName() + " seed " + seed;
          assertThat(l[1]).as(what).isBetween(0.0, (double) out.width());
          assertThat(l[3]).as(what).isBetween(0.0, (double) out.width());
          assertThat(l[2]).as(what).isBetween(0.0, (double) out.height());
          assertThat(l[4]).as(what).isBetween(0.0, (double) out.height());
          assertThat(l[3]).as(what).isGreaterThan(l[1]);
          assertThat(l[4]).as(what).isGreaterThan(l[2]);
          assertThat(l[0]).as(what).isIn(1.0, 2.0, 3.0);
        }
      }
    }
  }

  @Test
  void outputSizes() {
    SplittableRandom rng = new SplittableRandom(4);
    for (long seed = 0; seed < 10; seed++) {
      Labeled c = chains().get(0).apply(sample(seed), rng);
      assertThat(new int[] {c.height(), c.width()}).containsExactly(90, 120);
      Labeled s = chains().get(1).apply(sample(seed), rng);
      assertThat(new int[] {s.height(), s.width()}).containsExactly(64, 80);
      Labeled v = chains().get(2).apply(sample(seed), rng);
      assertThat(new int[] {v.height(), v.width()}).containsExactly(48, 96);
    }
  }

  @Test
  void sameSeedSameOutput() {
    for (Transform chain : chains()) {
      for (long seed = 0; seed < 5; seed++) {
        Labeled a = chain.apply(sample(1), new SplittableRandom(seed));
        Labeled b = chain.apply(sample(1), new SplittableRandom(seed));
        assertThat(a.image()).isEqualTo(b.image());
        assertThat(a.labels()).isDeepEqualTo(b.labels());
      }
    }
  }

  @Test
  void chainsWorkWithoutLabels() {
    for (Transform chain : chains()) {
      Labeled in = Labeled.of(TestImages.noise(90, 120, 3));
      for (long seed = 0; seed < 10; seed++) {
        Labeled out = chain.apply(in, new SplittableRandom(seed));
        assertThat(out.labels()).isEmpty();
      }
    }
  }

  @Test
  void constantChainWithAllProbabilitiesZeroOnlyRoundTripsColours() {
    var config = ConstantInputSizeAugmentation.Config.defaults().withProbabilities(0);
    Labeled in = sample(2);
    Labeled hsv =
        new Photometric(ConvertColor.RGB_TO_HSV, ConvertColor.HSV_TO_RGB)
            .apply(in, new SplittableRandom(0));
    for (long seed = 0; seed < 10; seed++) {
      Labeled out = new ConstantInputSizeAugmentation(config).apply(in, new SplittableRandom(seed));
      assertThat(out.image()).isEqualTo(hsv.image());
      assertThat(out.labels()).isDeepEqualTo(in.labels());
    }
  }

  @Test
  void constantChainWithAllProbabilitiesOneMovesBoxes() {
    var config = ConstantInputSizeAugmentation.Config.defaults().withProbabilities(1);
    Labeled in = sample(2);
    int moved = 0;
    for (long seed = 0; seed < 10; seed++) {
      Labeled out = new ConstantInputSizeAugmentation(config).apply(in, new SplittableRandom(seed));
      if (!java.util.Arrays.deepEquals(out.labels(), in.labels())) {
        moved++;
      }
    }
    assertThat(moved).isEqualTo(10);
  }

  @Test
  void ssdChainInverterMapsPredictionsBackIntoTheOriginalFrame() {
    Transform ssd = new SsdAugmentation(new SsdAugmentation.Config(64, 80, Background.SSD_MEAN));
    for (long seed = 0; seed < 20; seed++) {
      Labeled in = sample(seed);
      Labeled out = ssd.apply(in, new SplittableRandom(seed));
      for (double[] l : out.labels()) {
        double[][] back = out.inverter().invert(new double[][] {{l[0], 1, l[1], l[2], l[3], l[4]}});
        // Back in the original frame the box overlaps a ground-truth box of the same class.
        boolean overlaps = false;
        for (double[] g : in.labels()) {
          double iou =
              org.grievance.ssd.box.Boxes.iouCorners(
                  back[0][2], back[0][3], back[0][4], back[0][5], g[1], g[2], g[3], g[4], 0);
          overlaps |= g[0] == l[0] && iou > 0.3;
        }
        assertThat(overlaps).as("seed %d box %s", seed, java.util.Arrays.toString(l)).isTrue();
      }
    }
  }

  @Test
  void configsValidateWithTheFieldName() {
    var d = ConstantInputSizeAugmentation.Config.defaults();
    assertThatThrownBy(
            () ->
                new ConstantInputSizeAugmentation.Config(
                    d.brightness(),
                    d.contrast(),
                    d.saturation(),
                    d.hue(),
                    d.flipProb(),
                    d.translateDy(),
                    d.translateDx(),
                    new RandomRange(1.0, 2.0, 0.5),
                    d.nTrialsMax(),
                    d.clipBoxes(),
                    d.overlapCriterion(),
                    d.boundsBoxFilter(),
                    d.boundsValidator(),
                    d.nBoxesMin(),
                    d.background()))
        .hasMessageContaining("scale");
    assertThatThrownBy(() -> new SsdAugmentation.Config(0, 300, Background.SSD_MEAN))
        .hasMessageContaining("0x300");
    assertThatThrownBy(() -> new RandomRange(0, 1, 1.5)).hasMessageContaining("prob");
    assertThat(d.brightness()).isEqualTo(new RandomRange(-48, 48, 0.5));
    assertThat(d.scale()).isEqualTo(new RandomRange(0.5, 2.0, 0.5));
    assertThat(d.boundsValidator()).isEqualTo(new Bounds(0.5, 1.0));
  }
}
