package org.grievance.ssd.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The published numbers of docs/reference-behaviour.md#anchor-counts and #anchor-sizes (independent
 * of our code).
 */
class AnchorGeneratorTest {

  @Test
  void ssd300VocHas8732AnchorsWithThePublishedLayers() {
    Anchors a = AnchorGenerator.generate(AnchorConfig.ssd300Voc());
    assertThat(a.count()).isEqualTo(8732);
    assertThat(a.layers().stream().map(AnchorLayer::featureMapSize).toList())
        .containsExactly(fm(38, 38), fm(19, 19), fm(10, 10), fm(5, 5), fm(3, 3), fm(1, 1));
    assertThat(a.layers().stream().mapToInt(AnchorLayer::boxesPerCell).toArray())
        .containsExactly(4, 6, 6, 6, 4, 4);
    assertThat(a.layers().stream().mapToInt(AnchorLayer::count).toArray())
        .containsExactly(5776, 2166, 600, 150, 36, 4);

    AnchorLayer l0 = a.layers().get(0);
    assertWh(l0, 0.005, 30, 30, 42.43, 42.43, 42.43, 21.21, 21.21, 42.43);
    assertThat(l0.cy()[0]).isEqualTo(4.0);
    assertThat(l0.cy()[37]).isEqualTo(300.0);
    AnchorLayer l1 = a.layers().get(1);
    assertWh(
        l1, 0.005, 60, 60, 81.61, 81.61, 84.85, 42.43, 42.43, 84.85, 103.92, 34.64, 34.64, 103.92);
    assertThat(l1.cx()[18]).isEqualTo(296.0);
    assertThat(a.layers().get(2).cx()[9]).isEqualTo(304.0);
    assertThat(a.layers().get(4).cx()).containsExactly(50, 150, 250);
    AnchorLayer l5 = a.layers().get(5);
    assertWh(l5, 0.005, 264, 264, 288.37, 288.37, 373.35, 186.68, 186.68, 373.35);
    assertThat(l5.cx()).containsExactly(150);

    double[] b = a.boxes();
    double third = 0.013333;
    assertBox(b, 0, 5e-7, third, third, 0.1, 0.1);
    assertBox(b, 1, 5e-7, third, third, 0.141421, 0.141421);
    assertBox(b, 2, 5e-7, third, third, 0.141421, 0.070711);
    assertBox(b, 3, 5e-7, third, third, 0.070711, 0.141421);
    assertBox(b, 8728, 5e-7, 0.5, 0.5, 0.88, 0.88);
    assertBox(b, 8729, 5e-7, 0.5, 0.5, 0.961249, 0.961249);
    assertBox(b, 8730, 5e-7, 0.5, 0.5, 1.244508, 0.622254);
    assertBox(b, 8731, 5e-7, 0.5, 0.5, 0.622254, 1.244508);
  }

  @Test
  void ssd512VocHas24564AnchorsWithThePublishedWidths() {
    Anchors a = AnchorGenerator.generate(AnchorConfig.ssd512Voc());
    assertThat(a.count()).isEqualTo(24564);
    assertThat(a.layers().stream().mapToInt(l -> l.featureMapSize().height()).toArray())
        .containsExactly(64, 32, 16, 8, 4, 2, 1);
    assertThat(a.layers().stream().mapToInt(AnchorLayer::count).toArray())
        .containsExactly(16384, 6144, 1536, 384, 96, 16, 4);
    double[][] widths = {
      {35.84, 52.464, 50.685, 25.343},
      {76.8, 108.612, 108.612, 54.306, 133.022, 44.341},
      {153.6, 188.121, 217.223, 108.612, 266.043, 88.681},
      {230.4, 266.043, 325.835, 162.917, 399.065, 133.022},
      {307.2, 343.46, 434.446, 217.223, 532.086, 177.362},
      {384, 420.651, 543.058, 271.529},
      {460.8, 497.721, 651.67, 325.835}
    };
    for (int i = 0; i < widths.length; i++) {
      AnchorLayer l = a.layers().get(i);
      assertThat(l.boxesPerCell()).isEqualTo(widths[i].length);
      for (int k = 0; k < widths[i].length; k++) {
        assertThat(l.width(k)).as("layer %d box %d", i, k).isCloseTo(widths[i][k], within(5e-4));
      }
    }
    assertThat(a.layers().get(0).cx()[0]).isEqualTo(4.0);
    assertThat(a.layers().get(0).cx()[63]).isEqualTo(508.0);
    assertThat(a.layers().get(6).cx()).containsExactly(256.0);
  }

  @Test
  void ssd7At300x480Has11692AnchorsWithThePublishedLayers() {
    Anchors a = AnchorGenerator.generate(AnchorConfig.ssd7(300, 480));
    assertThat(a.count()).isEqualTo(11692);
    assertThat(a.layers().stream().map(AnchorLayer::featureMapSize).toList())
        .containsExactly(fm(37, 60), fm(18, 30), fm(9, 15), fm(4, 7));
    AnchorLayer l0 = a.layers().get(0);
    assertWh(l0, 0.005, 16.97, 33.94, 24, 24, 33.94, 33.94, 33.94, 16.97);
    assertThat(l0.step().h()).isCloseTo(8.1081, within(5e-5));
    assertThat(l0.step().w()).isEqualTo(8.0);
    assertThat(l0.cy()[0]).isCloseTo(4.054, within(5e-4));
    assertThat(l0.cy()[36]).isCloseTo(295.946, within(5e-4));
    assertThat(l0.cx()[0]).isEqualTo(4.0);
    assertThat(l0.cx()[59]).isEqualTo(476.0);
    AnchorLayer l3 = a.layers().get(3);
    assertWh(l3, 0.005, 135.76, 271.53, 192, 192, 235.15, 235.15, 271.53, 135.76);
    assertThat(l3.step().h()).isEqualTo(75.0);
    assertThat(l3.step().w()).isCloseTo(68.5714, within(5e-5));
    assertThat(l3.cy()).containsExactly(37.5, 112.5, 187.5, 262.5);
    assertThat(l3.cx()[0]).isCloseTo(34.286, within(5e-4));
    assertThat(l3.cx()[6]).isCloseTo(445.714, within(5e-4));
    assertBox(a.boxes(), 0, 5e-7, 0.008333, 0.013514, 0.035355, 0.113137);
  }

  @Test
  void cocoPresetsUseTheCocoScales() {
    assertThat(AnchorConfig.ssd300Coco().scales())
        .containsExactly(0.07, 0.15, 0.33, 0.51, 0.69, 0.87, 1.05);
    assertThat(AnchorConfig.ssd512Coco().scales())
        .containsExactly(0.04, 0.1, 0.26, 0.42, 0.58, 0.74, 0.9, 1.06);
    assertThat(AnchorGenerator.generate(AnchorConfig.ssd300Coco()).count()).isEqualTo(8732);
    assertThat(AnchorGenerator.generate(AnchorConfig.ssd512Coco()).count()).isEqualTo(24564);
  }

  @Test
  void predictorGeometryFollowsPaddingAndStrideRules() {
    // SSD300 at 512: ceil pooling 256, 128, 64, 32 then (n+2-3)/2+1 and -2 twice.
    assertThat(PredictorGeometry.ssd300(512, 512))
        .containsExactly(fm(64, 64), fm(32, 32), fm(16, 16), fm(8, 8), fm(6, 6), fm(4, 4));
    // Odd sizes: ceil halving 75 -> 38 for SSD300/512, floor halving for SSD7.
    assertThat(PredictorGeometry.ssd300(300, 600).get(0)).isEqualTo(fm(38, 75));
    assertThat(PredictorGeometry.ssd7(75, 75).get(0)).isEqualTo(fm(9, 9));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PredictorGeometry.ssd300(100, 100))
        .withMessageContaining("conv8_2 would be 0x0"); // 13, 7, 4, 2, then 2 - 2
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PredictorGeometry.ssd7(60, 480))
        .withMessageContaining("conv7");
  }

  @Test
  void layerIndexingIsRowMajorWithBoxFastest() {
    Anchors a = AnchorGenerator.generate(AnchorConfig.ssd300Voc());
    AnchorLayer l1 = a.layers().get(1);
    assertThat(l1.firstAnchor()).isEqualTo(5776);
    assertThat(l1.anchorIndex(2, 3, 4)).isEqualTo(5776 + (2 * 19 + 3) * 6 + 4);
    double[] c = a.centroids();
    int i = l1.anchorIndex(2, 3, 4);
    assertThat(c[4 * i]).isCloseTo(l1.cx()[3] / 300, within(1e-12));
    assertThat(c[4 * i + 1]).isCloseTo(l1.cy()[2] / 300, within(1e-12));
    assertThat(c[4 * i + 2]).isCloseTo(l1.width(4) / 300, within(1e-12));
  }

  @Test
  void cornersAndCentroidsDescribeTheSameBoxes() {
    Anchors a =
        AnchorGenerator.generate(
            AnchorConfig.ssd7(300, 480).toBuilder()
                .coords(org.grievance.ssd.box.BoxFormat.MINMAX)
                .build());
    double[] mm = a.boxes();
    double[] corners = a.corners();
    double[] cent = a.centroids();
    for (int i = 0; i < a.count(); i += 97) {
      assertThat(corners[4 * i]).isEqualTo(mm[4 * i]);
      assertThat(corners[4 * i + 1]).isEqualTo(mm[4 * i + 2]);
      assertThat(corners[4 * i + 2]).isEqualTo(mm[4 * i + 1]);
      assertThat(cent[4 * i + 2]).isCloseTo(mm[4 * i + 1] - mm[4 * i], within(1e-12));
    }
  }

  @Test
  void clippingMapsToOneBelowTheImageSizeAsTheReference() {
    AnchorConfig cfg =
        AnchorConfig.builder()
            .imageSize(100, 100)
            .predictorSizes(List.of(fm(1, 1)))
            .scales(1.0, 1.0)
            .aspectRatiosGlobal(1.0)
            .twoBoxesForAr1(false)
            .clipBoxes(true)
            .coords(org.grievance.ssd.box.BoxFormat.CORNERS)
            .normalizeCoords(false)
            .build();
    // One 100x100 box centred at 50: corners exactly 0 and 100; 100 >= W is clipped to 99.
    assertThat(AnchorGenerator.generate(cfg).boxes()).containsExactly(0, 0, 99, 99);
  }

  @Test
  void validationNamesTheFieldAndValue() {
    AnchorConfig.Builder b = AnchorConfig.ssd300Voc().toBuilder();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.scales(0.1, 0.2).build())
        .withMessageContaining("scales must have 7 entries");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                AnchorConfig.ssd300Voc().toBuilder()
                    .scales(0.1, 1.2, 0.3, 0.4, 0.5, 0.6, 0.7)
                    .build())
        .withMessageContaining("scales[1]")
        .withMessageContaining("1.2");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AnchorConfig.ssd300Voc().toBuilder().variances(0.1, 0, 0.2, 0.2).build())
        .withMessageContaining("variances[1] must be > 0, but is 0.0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AnchorConfig.ssd300Voc().toBuilder().variances(0.1, 0.1, 0.2).build())
        .withMessageContaining("variances must have 4 entries");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                AnchorConfig.ssd300Voc().toBuilder()
                    .aspectRatiosPerLayer(List.of(List.of(1.0)))
                    .build())
        .withMessageContaining("aspectRatios must have 6 entries");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                AnchorConfig.ssd300Voc().toBuilder()
                    .aspectRatiosPerLayer(null)
                    .aspectRatiosGlobal(1.0, -2.0)
                    .build())
        .withMessageContaining("aspectRatios[0][1] must be > 0, but is -2.0");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                AnchorConfig.ssd300Voc().toBuilder()
                    .aspectRatiosPerLayer(null)
                    .aspectRatiosGlobal((double[]) null)
                    .build())
        .withMessageContaining("aspectRatiosGlobal or aspectRatiosPerLayer");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                AnchorConfig.ssd300Voc().toBuilder()
                    .scales((List<Double>) null)
                    .minMaxScale(0.5, 0.2)
                    .build())
        .withMessageContaining("minScale is 0.5 and maxScale is 0.2");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> AnchorConfig.ssd300Voc().toBuilder().steps(List.of(AxisPair.both(8))).build())
        .withMessageContaining("steps must have 6 entries");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                AnchorConfig.ssd300Voc().toBuilder()
                    .steps(java.util.Collections.nCopies(6, AxisPair.of(8, 0)))
                    .build())
        .withMessageContaining("steps[0] must be > 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new FeatureMapSize(0, 3))
        .withMessageContaining("0x3");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> AnchorConfig.builder().imageSize(10, 10).build())
        .withMessageContaining("predictorSizes");
  }

  @Test
  void minMaxScalesAreInterpolatedAndNullEntriesTakeDefaults() {
    AnchorConfig cfg =
        AnchorConfig.builder()
            .imageSize(64, 96)
            .predictorSizes(List.of(fm(8, 12), fm(4, 6)))
            .minMaxScale(0.2, 0.8)
            .steps(java.util.Arrays.asList(null, AxisPair.of(10, 20)))
            .offsets(java.util.Arrays.asList(AxisPair.both(0.25), null))
            .build();
    assertThat(cfg.scales().get(0)).isEqualTo(0.2);
    assertThat(cfg.scales().get(1)).isCloseTo(0.5, within(1e-15));
    assertThat(cfg.scales().get(2)).isEqualTo(0.8);
    assertThat(cfg.steps()).containsExactly(AxisPair.of(8, 8), AxisPair.of(10, 20));
    assertThat(cfg.offsets()).containsExactly(AxisPair.both(0.25), AxisPair.both(0.5));
    assertThat(cfg.toBuilder().build()).isEqualTo(cfg);
  }

  private static FeatureMapSize fm(int h, int w) {
    return new FeatureMapSize(h, w);
  }

  private static Offset<Double> within(double eps) {
    return Offset.offset(eps);
  }

  private static void assertWh(AnchorLayer l, double eps, double... wh) {
    assertThat(l.boxesPerCell()).isEqualTo(wh.length / 2);
    for (int k = 0; k < wh.length / 2; k++) {
      assertThat(l.width(k))
          .as("layer %d box %d w", l.index(), k)
          .isCloseTo(wh[2 * k], within(eps));
      assertThat(l.height(k))
          .as("layer %d box %d h", l.index(), k)
          .isCloseTo(wh[2 * k + 1], within(eps));
    }
  }

  private static void assertBox(double[] boxes, int i, double eps, double... expected) {
    for (int j = 0; j < 4; j++) {
      assertThat(boxes[4 * i + j])
          .as("anchor %d coordinate %d", i, j)
          .isCloseTo(expected[j], within(eps));
    }
  }
}
