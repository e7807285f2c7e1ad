package org.grievance.ssd.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-checked behaviour of the pycocotools port (the full comparison is in the fixture test). */
class CocoEvaluatorTest {
  private static final List<String> ONE = List.of("thing");

  @Test
  void perfectDetectionScoresAlmostOneEverywhere() {
    List<GroundTruthBox> gt = List.of(GroundTruthBox.of("a", 1, 0, 0, 50, 50));
    List<ScoredDetection> dt = List.of(new ScoredDetection("a", 1, 0.9, 0, 0, 50, 50));
    CocoEvaluation e = new CocoEvaluator().evaluate(ONE, List.of("a"), gt, dt);
    assertThat(e.ap()).isCloseTo(1.0, within(1e-15));
    assertThat(e.ap50()).isCloseTo(1.0, within(1e-15));
    assertThat(e.apMedium()).isCloseTo(1.0, within(1e-15)); // 2500 px² is medium
    assertThat(e.apSmall()).isEqualTo(-1); // no small ground truth anywhere
    assertThat(e.apLarge()).isEqualTo(-1);
    assertThat(e.ar1()).isEqualTo(1.0);
    assertThat(e.arSmall()).isEqualTo(-1);
  }

  @Test
  void iouExactlyAtThresholdMatches() {
    // IoU 0.5 exactly: matched at t = .50 only -> AP@[.5:.95] = 1/10 of the perfect value.
    List<GroundTruthBox> gt = List.of(GroundTruthBox.of("a", 1, 10, 10, 50, 50));
    List<ScoredDetection> dt = List.of(new ScoredDetection("a", 1, 0.9, 10, 10, 50, 30));
    CocoEvaluation e = new CocoEvaluator().evaluate(ONE, List.of("a"), gt, dt);
    assertThat(e.ap50()).isCloseTo(1.0, within(1e-15));
    assertThat(e.ap75()).isZero();
    assertThat(e.ar100()).isCloseTo(0.1, within(1e-15));
  }

  @Test
  void crowdRegionAbsorbsDetectionsWithoutCountingThem() {
    List<GroundTruthBox> gt =
        List.of(
            GroundTruthBox.of("a", 1, 0, 0, 40, 40),
            new GroundTruthBox("a", 1, 100, 100, 300, 300, false, true, Double.NaN));
    List<ScoredDetection> dt = new ArrayList<>();
    // Three detections inside the crowd region (intersection / own area = 1), higher scores.
    for (int k = 0; k < 3; k++) {
      dt.add(new ScoredDetection("a", 1, 0.9 - 0.01 * k, 110 + 20 * k, 110, 150 + 20 * k, 150));
    }
    dt.add(new ScoredDetection("a", 1, 0.5, 0, 0, 40, 40));
    CocoEvaluation e = new CocoEvaluator().evaluate(ONE, List.of("a"), gt, dt);
    assertThat(e.ap()).isCloseTo(1.0, within(1e-15)); // the crowd hits are neither TP nor FP
    assertThat(e.perClass().get(0).numGt()).isEqualTo(1);
  }

  @Test
  void areaRangesAreInclusiveAtBothEnds() {
    // Area exactly 32² belongs to small and medium.
    List<GroundTruthBox> gt = List.of(new GroundTruthBox("a", 1, 0, 0, 40, 40, false, false, 1024));
    List<ScoredDetection> dt = List.of(new ScoredDetection("a", 1, 0.9, 0, 0, 40, 40));
    CocoEvaluation e = new CocoEvaluator().evaluate(ONE, List.of("a"), gt, dt);
    assertThat(e.apSmall()).isCloseTo(1.0, within(1e-15));
    assertThat(e.apMedium()).isCloseTo(1.0, within(1e-15));
    assertThat(e.apLarge()).isEqualTo(-1);
  }

  @Test
  void onlyTheHundredBestDetectionsPerImageAndClassCount() {
    List<GroundTruthBox> gt = List.of(GroundTruthBox.of("a", 1, 0, 0, 50, 50));
    List<ScoredDetection> dt = new ArrayList<>();
    for (int k = 0; k < 100; k++) {
      dt.add(new ScoredDetection("a", 1, 0.9, 200, 200, 220, 220)); // misses
    }
    dt.add(new ScoredDetection("a", 1, 0.1, 0, 0, 50, 50)); // 101st: cut off
    CocoEvaluation e = new CocoEvaluator().evaluate(ONE, List.of("a"), gt, dt);
    assertThat(e.ar100()).isZero();
    assertThat(e.ap()).isZero();
  }

  @Test
  void classWithoutGroundTruthIsNaNAndSkipped() {
    List<GroundTruthBox> gt = List.of(GroundTruthBox.of("a", 1, 0, 0, 50, 50));
    List<ScoredDetection> dt =
        List.of(
            new ScoredDetection("a", 1, 0.9, 0, 0, 50, 50),
            new ScoredDetection("a", 2, 0.9, 0, 0, 50, 50));
    CocoEvaluation e = new CocoEvaluator().evaluate(List.of("x", "y"), List.of("a"), gt, dt);
    assertThat(e.perClass().get(1).ap()).isNaN();
    assertThat(e.ap()).isCloseTo(1.0, within(1e-15));
  }

  @Test
  void rejectsDetectionsOnUnknownImages() {
    assertThatThrownBy(
            () ->
                new CocoEvaluator()
                    .evaluate(
                        ONE,
                        List.of("a"),
                        List.of(),
                        List.of(new ScoredDetection("b", 1, 0.9, 0, 0, 1, 1))))
        .hasMessageContaining("detection 0 (image b)");
  }

  @Test
  void thresholdsAreNumpyLinspace() {
    assertThat(CocoEvaluator.IOU_THRESHOLDS[5]).isEqualTo(0.75);
    assertThat(CocoEvaluator.IOU_THRESHOLDS[8]).isEqualTo(0.8999999999999999);
    assertThat(CocoEvaluator.RECALL_THRESHOLDS).hasSize(101);
    assertThat(CocoEvaluator.RECALL_THRESHOLDS[100]).isEqualTo(1.0);
  }
}
