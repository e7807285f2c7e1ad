package org.grievance.ssd.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.grievance.ssd.box.BorderPixels;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BoxFilterTest {
  /** docs/reference-behaviour.md#box-filter: a 100×100 image and five boxes. */
  private static final double[][] BOXES = {
    {1, 0, 0, 10, 10},
    {1, 95, 95, 120, 120},
    {1, -5, -5, 2, 2},
    {1, 50, 50, 50, 60},
    {1, 10, 10, 13, 13}
  };

  @Test
  void areaCriterionWithMinAreaAndDegenerateKeepsOnlyTheFirstBox() {
    BoxFilter f =
        BoxFilter.builder()
            .overlapCriterion(OverlapCriterion.AREA)
            .overlapBounds(new Bounds(0.3, 1.0))
            .build();
    assertThat(f.filter(BOXES, 100, 100)).isDeepEqualTo(new double[][] {BOXES[0]});
  }

  @Test
  void centerPointAloneKeepsFirstFourthAndFifth() {
    BoxFilter f = BoxFilter.builder().checkMinArea(false).checkDegenerate(false).build();
    assertThat(f.filter(BOXES, 100, 100))
        .isDeepEqualTo(new double[][] {BOXES[0], BOXES[3], BOXES[4]});
  }

  @Test
  void iouWithBoundsZeroToOneDropsOnlyTheDegenerateBox() {
    BoxFilter f =
        BoxFilter.builder()
            .checkMinArea(false)
            .checkDegenerate(false)
            .overlapCriterion(OverlapCriterion.IOU)
            .overlapBounds(new Bounds(0, 1))
            .build();
    assertThat(f.filter(BOXES, 100, 100))
        .isDeepEqualTo(new double[][] {BOXES[0], BOXES[1], BOXES[2], BOXES[4]});
  }

  @Test
  void centerPointBoundsAreInclusiveAtWidthMinusOne() {
    BoxFilter f = BoxFilter.builder().checkMinArea(false).checkDegenerate(false).build();
    double[][] rows = {{1, 8, 0, 10, 4}, {1, 8, 0, 10.5, 4}}; // centres x = 9 and 9.25 in W = 10
    assertThat(f.filter(rows, 10, 10)).isDeepEqualTo(new double[][] {rows[0]});
  }

  @Test
  void areaLowerBoundZeroIsStrictOtherwiseNot() {
    // Box half inside a 10-wide image (clip to W-1 = 9): area 4x2 = 8, clipped 2x2 = 4.
    double[][] half = {{1, 7, 0, 11, 2}};
    BoxFilter.Builder b =
        BoxFilter.builder().checkMinArea(false).overlapCriterion(OverlapCriterion.AREA);
    assertThat(b.overlapBounds(new Bounds(0.5, 1)).build().filter(half, 10, 10)).hasNumberOfRows(1);
    // Entirely outside: clipped area 0; lower 0 needs clipped > 0.
    double[][] out = {{1, 12, 0, 15, 2}};
    assertThat(b.overlapBounds(new Bounds(0, 1)).build().filter(out, 10, 10)).isEmpty();
  }

  @Test
  @DisplayName("iou criterion with border 'include': corrected IoU (reference quirk 1)")
  void iouIncludeUsesCorrectedIou() {
    // Box (-3,-3,17,13) in a 10x14 image, include (d = 1): corrected IoU = 15·11 / (21·17) =
    // 165/357 = 0.462; the reference's (intersection without d) gives 140/382 = 0.366. Bounds
    // (0.4, 1] separate the two: corrected keeps the box, the quirk would drop it.
    double[][] row = {{1, -3, -3, 17, 13}};
    BoxFilter f =
        BoxFilter.builder()
            .checkMinArea(false)
            .overlapCriterion(OverlapCriterion.IOU)
            .overlapBounds(new Bounds(0.4, 1))
            .borderPixels(BorderPixels.INCLUDE)
            .build();
    assertThat(f.filter(row, 10, 14)).hasNumberOfRows(1);
    assertThat(f.keeps(row[0], 10, 14, new Bounds(0.47, 1))).isFalse();
  }

  @Test
  void validatorCountsKeptBoxesOrRequiresAll() {
    ImageValidator one = new ImageValidator(OverlapCriterion.CENTER_POINT, new Bounds(0.3, 1), 2);
    double[][] rows = {{1, 0, 0, 4, 4}, {1, 50, 50, 60, 60}};
    assertThat(one.isValid(rows, 10, 10)).isFalse();
    assertThat(one.isValid(rows, 100, 100)).isTrue();
    ImageValidator all =
        new ImageValidator(OverlapCriterion.CENTER_POINT, new Bounds(0.3, 1), ImageValidator.ALL);
    assertThat(all.isValid(new double[0][], 10, 10)).isTrue();
    assertThat(all.isValid(rows, 10, 10)).isFalse();
  }

  @Test
  void badConfigurationsAreRejectedWithTheField() {
    assertThatThrownBy(() -> new Bounds(0.8, 0.2)).hasMessageContaining("0.8");
    assertThatThrownBy(() -> new ImageValidator(OverlapCriterion.IOU, new Bounds(0, 1), 0))
        .hasMessageContaining("nBoxesMin");
    assertThatThrownBy(() -> OverlapCriterion.parse("centre")).hasMessageContaining("centre");
  }

  @Test
  void boundGeneratorDrawsOnlyFromItsSpaceAndHonoursZeroWeights() {
    BoundGenerator g =
        new BoundGenerator(
            java.util.List.of(new Bounds(0.1, 1), new Bounds(0.5, 1)), new double[] {0, 1});
    var rng = new java.util.SplittableRandom(3);
    for (int i = 0; i < 50; i++) {
      assertThat(g.next(rng)).isEqualTo(new Bounds(0.5, 1));
    }
    assertThat(BoundGenerator.referenceDefault().sampleSpace())
        .hasSize(6)
        .contains(new Bounds(0, 1));
    assertThatThrownBy(() -> new BoundGenerator(java.util.List.of(new Bounds(0, 1)), new double[2]))
        .hasMessageContaining("weights");
  }
}
