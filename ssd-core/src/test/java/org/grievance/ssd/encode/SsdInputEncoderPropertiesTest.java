package org.grievance.ssd.encode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.anchor.AnchorGenerator;
import org.grievance.ssd.anchor.Anchors;
import org.grievance.ssd.anchor.FeatureMapSize;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.BoxFormat;

/** The fast encoder against the naive oracle on random boxes and configurations. */
class SsdInputEncoderPropertiesTest {

  @Property(tries = 300)
  void fastEncoderEqualsNaiveOracle(
      @ForAll("labels") double[] labels,
      @ForAll BoxFormat coords,
      @ForAll boolean normalize,
      @ForAll boolean clip,
      @ForAll BorderPixels border,
      @ForAll MatchingType matching) {
    Anchors anchors =
        AnchorGenerator.generate(
            AnchorConfig.builder()
                .imageSize(64, 96)
                .predictorSizes(
                    List.of(
                        new FeatureMapSize(8, 12),
                        new FeatureMapSize(4, 6),
                        new FeatureMapSize(2, 3),
                        new FeatureMapSize(1, 1)))
                .minMaxScale(0.08, 0.96)
                .clipBoxes(clip)
                .coords(coords)
                .normalizeCoords(normalize)
                .build());
    EncoderConfig cfg =
        EncoderConfig.builder(3)
            .borderPixels(border)
            .matchingType(matching)
            .outsideBoxPolicy(OutsideBoxPolicy.DROP_WITH_WARNING)
            .build();
    EncodedTargets t = new SsdInputEncoder(anchors, cfg).encode(labels);
    NaiveEncoder oracle = new NaiveEncoder(anchors, cfg, labels);
    assertThat(t.classIds()).containsExactly(oracle.classes);
    EncoderGoldenTest.assertFloatOffsets(t.offsets(), oracle.offsets);
  }

  /**
   * Many copies of one box take its best anchors one by one, until the next best free anchor has a
   * shape the fast path skipped at first: this exercises the full row rebuild.
   */
  @Property(tries = 100)
  void duplicatedBoxesExhaustTheirBestAnchors(
      @ForAll("labels") double[] some,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 40) int copies,
      @ForAll BorderPixels border,
      @ForAll MatchingType matching) {
    net.jqwik.api.Assume.that(some.length >= 5);
    double[] labels = new double[5 * copies];
    for (int i = 0; i < copies; i++) {
      System.arraycopy(some, 0, labels, 5 * i, 5);
    }
    Anchors anchors =
        AnchorGenerator.generate(
            AnchorConfig.builder()
                .imageSize(64, 96)
                .predictorSizes(List.of(new FeatureMapSize(8, 12), new FeatureMapSize(4, 6)))
                .minMaxScale(0.2, 0.6)
                .build());
    EncoderConfig cfg =
        EncoderConfig.builder(3)
            .borderPixels(border)
            .matchingType(matching)
            .negIouLimit(0.5)
            .outsideBoxPolicy(OutsideBoxPolicy.DROP_WITH_WARNING)
            .build();
    EncodedTargets t = new SsdInputEncoder(anchors, cfg).encode(labels);
    NaiveEncoder oracle = new NaiveEncoder(anchors, cfg, labels);
    assertThat(t.classIds()).containsExactly(oracle.classes);
    EncoderGoldenTest.assertFloatOffsets(t.offsets(), oracle.offsets);
  }

  /** 0..12 boxes with integer or fractional corners, some partly outside, some duplicated. */
  @Provide
  Arbitrary<double[]> labels() {
    Arbitrary<Double> x = Arbitraries.doubles().between(-20, 100).ofScale(1);
    Arbitrary<Double> y = Arbitraries.doubles().between(-20, 70).ofScale(1);
    Arbitrary<Double> size = Arbitraries.doubles().between(1.5, 90).ofScale(2);
    Arbitrary<double[]> box =
        Combinators.combine(Arbitraries.integers().between(1, 3), x, y, size, size)
            .as((c, x0, y0, w, h) -> new double[] {c, x0, y0, x0 + w, y0 + h});
    return box.list()
        .ofMaxSize(12)
        .map(
            list -> {
              double[] out = new double[5 * list.size()];
              for (int i = 0; i < list.size(); i++) {
                System.arraycopy(list.get(i), 0, out, 5 * i, 5);
              }
              return out;
            });
  }
}
