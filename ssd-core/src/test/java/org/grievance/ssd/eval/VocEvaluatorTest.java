package org.grievance.ssd.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VocEvaluatorTest {
  private static final List<String> ONE = List.of("thing");

  /** Detections in descending score order: T hits the next GT box exactly, F misses. */
  private static VocEvaluation sequence(String tf, int numGt, ApMetric metric) {
    List<GroundTruthBox> gt = new ArrayList<>();
    for (int g = 0; g < numGt; g++) {
      gt.add(GroundTruthBox.of("img", 1, 100 * g, 0, 100 * g + 50, 50));
    }
    List<ScoredDetection> dets = new ArrayList<>();
    int next = 0;
    for (int i = 0; i < tf.length(); i++) {
      double score = 1.0 - 0.01 * i;
      if (tf.charAt(i) == 'T') {
        dets.add(new ScoredDetection("img", 1, score, 100 * next, 0, 100 * next + 50, 50));
        next++;
      } else {
        dets.add(new ScoredDetection("img", 1, score, 5000, 5000, 5010, 5010));
      }
    }
    return new VocEvaluator(metric, 0.5).evaluate(ONE, gt, dets);
  }

  @ParameterizedTest(name = "{0} over {1} GT")
  @CsvSource({
    "TFTFT, 3, 0.763636, 0.755556",
    "FTT,   2, 0.666667, 0.666667",
    "TT,    4, 0.545455, 0.5",
    "T,     1, 1.0,      1.0",
    "FT,    1, 0.5,      0.5"
  })
  @DisplayName("reference AP examples: 11-point and VOC2010 devkit columns")
  void specTable(String tf, int numGt, double elevenPoint, double voc2010) {
    assertThat(sequence(tf, numGt, ApMetric.VOC07_11_POINT).meanAp())
        .isCloseTo(elevenPoint, within(5e-7));
    assertThat(sequence(tf, numGt, ApMetric.VOC2010_ALL_POINT).meanAp())
        .isCloseTo(voc2010, within(5e-7));
  }

  @Test
  void specTableFirstRowExactly() {
    // 11-point: p = 1 for t <= 0.30000000000000004 (recall 1/3 reaches it? no: 1/3 > 0.3 -> yes),
    // 2/3 for t in {.4,.5,.6}, 0.6 for t >= .7: (4 + 2 + 2.4) / 11. VOC2010: (1 + 2/3 + 3/5) / 3.
    assertThat(sequence("TFTFT", 3, ApMetric.VOC07_11_POINT).meanAp())
        .isCloseTo(8.4 / 11, within(1e-12));
    assertThat(sequence("TFTFT", 3, ApMetric.VOC2010_ALL_POINT).meanAp())
        .isCloseTo(34.0 / 45, within(1e-12));
  }

  @Test
  void recallOfExactlyThreeTenthsDoesNotReachTheFourthLevel() {
    // 3 TPs of 10 GT: recall 0.3 < 0.30000000000000004, so only t = 0, .1, .2 score 1.
    assertThat(sequence("TTT", 10, ApMetric.VOC07_11_POINT).meanAp())
        .isCloseTo(3.0 / 11, within(1e-15));
  }

  @Test
  @DisplayName("reference matching example: difficult ignored, duplicate FP, other image TP")
  void matchingExample() {
    List<GroundTruthBox> gt =
        List.of(
            GroundTruthBox.of("A", 1, 10, 10, 50, 50),
            new GroundTruthBox("A", 1, 60, 60, 100, 100, true, false, Double.NaN),
            GroundTruthBox.of("A", 2, 0, 0, 20, 20),
            GroundTruthBox.of("B", 1, 10, 10, 50, 50));
    List<ScoredDetection> dets =
        List.of(
            new ScoredDetection("A", 1, 0.9, 10, 10, 50, 50),
            new ScoredDetection("A", 1, 0.8, 60, 60, 100, 100),
            new ScoredDetection("A", 1, 0.7, 11, 11, 50, 50),
            new ScoredDetection("B", 1, 0.6, 10, 10, 50, 50),
            new ScoredDetection("B", 1, 0.5, 200, 200, 220, 220));
    VocEvaluation e = new VocEvaluator().evaluate(List.of("c1", "c2"), gt, dets);
    ClassAp c1 = e.classes().get(0);
    assertThat(c1.numGt()).isEqualTo(2);
    assertThat(e.classes().get(1).numGt()).isEqualTo(1);
    // TP, ignored (slot kept, precision unchanged), FP, TP, FP.
    assertThat(c1.precision()).containsExactly(new double[] {1, 1, 0.5, 2.0 / 3, 0.5}, within(0.0));
    assertThat(c1.recall()).containsExactly(0.5, 0.5, 0.5, 1.0, 1.0);
    assertThat(e.classes().get(1).ap()).isZero(); // GT but no detections
  }

  @Test
  @DisplayName("quirk '>=' threshold: IoU exactly at the threshold is a FP (devkit uses '>')")
  void iouEqualToThresholdIsFalsePositive() {
    // Inclusive IoU: (0,0,9,9) is 10x10, (0,0,9,4) is 10x5 -> 50/100 = 0.5.
    List<GroundTruthBox> gt = List.of(GroundTruthBox.of("i", 1, 0, 0, 9, 9));
    List<ScoredDetection> dets = List.of(new ScoredDetection("i", 1, 0.9, 0, 0, 9, 4));
    assertThat(new VocEvaluator().evaluate(ONE, gt, dets).meanAp()).isZero();
    List<ScoredDetection> above = List.of(new ScoredDetection("i", 1, 0.9, 0, 0, 9, 4.01));
    assertThat(new VocEvaluator().evaluate(ONE, gt, above).meanAp()).isCloseTo(1.0, within(1e-15));
  }

  @Test
  void noFallBackToTheSecondBestBox() {
    // Two overlapping GT; both detections best-match GT 0, so the second is a FP.
    List<GroundTruthBox> gt =
        List.of(
            GroundTruthBox.of("i", 1, 0, 0, 100, 100), GroundTruthBox.of("i", 1, 5, 0, 105, 100));
    List<ScoredDetection> dets =
        List.of(
            new ScoredDetection("i", 1, 0.9, 0, 0, 100, 100),
            new ScoredDetection("i", 1, 0.8, 0, 0, 101, 100));
    ClassAp c = new VocEvaluator().evaluate(ONE, gt, dets).classes().get(0);
    assertThat(c.recall()).containsExactly(0.5, 0.5);
  }

  @Test
  void difficultBestMatchBelowThresholdIsFalsePositive() {
    List<GroundTruthBox> gt =
        List.of(new GroundTruthBox("i", 1, 0, 0, 100, 100, true, false, Double.NaN));
    List<ScoredDetection> dets = List.of(new ScoredDetection("i", 1, 0.9, 0, 0, 30, 30));
    ClassAp c = new VocEvaluator().evaluate(ONE, gt, dets).classes().get(0);
    assertThat(c.ap()).isNaN(); // only a difficult box: no positives
    List<GroundTruthBox> withPositive = new ArrayList<>(gt);
    withPositive.add(GroundTruthBox.of("j", 1, 0, 0, 10, 10));
    ClassAp d = new VocEvaluator().evaluate(ONE, withPositive, dets).classes().get(0);
    assertThat(d.precision()).containsExactly(0.0);
  }

  @Test
  void detectionsOnImagesWithoutGroundTruthAreFalsePositives() {
    List<GroundTruthBox> gt = List.of(GroundTruthBox.of("i", 1, 0, 0, 10, 10));
    List<ScoredDetection> dets =
        List.of(
            new ScoredDetection("elsewhere", 1, 0.9, 0, 0, 10, 10),
            new ScoredDetection("i", 1, 0.8, 0, 0, 10, 10));
    ClassAp c = new VocEvaluator().evaluate(ONE, gt, dets).classes().get(0);
    assertThat(c.precision()).containsExactly(0.0, 0.5);
  }

  @Test
  void equalScoresKeepInputOrder() {
    List<GroundTruthBox> gt = List.of(GroundTruthBox.of("i", 1, 0, 0, 10, 10));
    List<ScoredDetection> dets =
        List.of(
            new ScoredDetection("i", 1, 0.5, 50, 50, 60, 60),
            new ScoredDetection("i", 1, 0.5, 0, 0, 10, 10));
    ClassAp c = new VocEvaluator().evaluate(ONE, gt, dets).classes().get(0);
    assertThat(c.precision()).containsExactly(0.0, 0.5);
  }

  @Test
  void emptyInputGivesNaNMean() {
    VocEvaluation e = new VocEvaluator().evaluate(ONE, List.of(), List.of());
    assertThat(e.classes().get(0).ap()).isNaN();
    assertThat(e.meanAp()).isNaN();
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> new VocEvaluator(ApMetric.VOC07_11_POINT, 1.5))
        .hasMessageContaining("iouThreshold")
        .hasMessageContaining("1.5");
    assertThatThrownBy(
            () ->
                new VocEvaluator()
                    .evaluate(
                        ONE, List.of(), List.of(new ScoredDetection("x", 2, 0.5, 0, 0, 1, 1))))
        .hasMessageContaining("detection 0")
        .hasMessageContaining("classId 2");
    assertThatThrownBy(() -> new ScoredDetection("x", 1, Double.NaN, 0, 0, 1, 1))
        .hasMessageContaining("score");
    assertThatThrownBy(() -> GroundTruthBox.of("x", 0, 0, 0, 1, 1)).hasMessageContaining("classId");
  }
}
