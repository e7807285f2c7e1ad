package org.grievance.ssd.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.grievance.ssd.eval.ClassThreshold.Outcome;
import org.junit.jupiter.api.Test;

class ThresholdCalibrationTest {
  private static final double FLOOR = ThresholdCalibration.DEFAULT_SCORE_FLOOR;

  /**
   * One class, one image: {@code tf} says for each detection, in the order of {@code scores},
   * whether it hits the next unmatched ground-truth box (T) or nothing (F).
   */
  private static VocEvaluation curve(String tf, double[] scores, int numGt) {
    List<GroundTruthBox> gt = new ArrayList<>();
    for (int g = 0; g < numGt; g++) {
      gt.add(GroundTruthBox.of("img", 1, 100 * g, 0, 100 * g + 50, 50));
    }
    List<ScoredDetection> dets = new ArrayList<>();
    int next = 0;
    for (int i = 0; i < tf.length(); i++) {
      if (tf.charAt(i) == 'T') {
        dets.add(new ScoredDetection("img", 1, scores[i], 100 * next, 0, 100 * next + 50, 50));
        next++;
      } else {
        dets.add(new ScoredDetection("img", 1, scores[i], 5000, 5000, 5010, 5010));
      }
    }
    return new VocEvaluator().evaluate(List.of("thing"), gt, dets);
  }

  private static ClassThreshold only(VocEvaluation e, ThresholdRule rule) {
    return ThresholdCalibration.of(e, rule, FLOOR, 1).classes().get(0);
  }

  private static final double[] SIX = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};

  @Test
  void bestF1PicksThePointOfHighestF1AndAThresholdInsideItsScoreGap() {
    // TTFTFF over 4 objects: F1 after each detection .4, .667, .571, .75, .667, .6.
    ClassThreshold t = only(curve("TTFTFF", SIX, 4), ThresholdRule.bestF1());
    assertThat(t.outcome()).isEqualTo(Outcome.CHOSEN);
    assertThat(t.precision()).isCloseTo(0.75, within(1e-12));
    assertThat(t.recall()).isCloseTo(0.75, within(1e-12));
    assertThat(t.f1()).isCloseTo(0.75, within(1e-12));
    assertThat(t.threshold()).isGreaterThan(0.5).isLessThan(0.6);
    assertThat(t.threshold()).isEqualTo(0.55); // the shortest decimal nearest the gap's middle
    assertThat(t.groundTruth()).isEqualTo(4);
    assertThat(t.detections()).isEqualTo(6);
  }

  @Test
  void targetPrecisionPicksTheLowestScoreThatStillReachesIt() {
    // Precision after each detection: 1, 1, .667, .75, .6, .5.
    VocEvaluation e = curve("TTFTFF", SIX, 4);
    ClassThreshold at70 = only(e, ThresholdRule.targetPrecision(0.7));
    assertThat(at70.precision()).isCloseTo(0.75, within(1e-12));
    assertThat(at70.threshold()).isGreaterThan(0.5).isLessThan(0.6);
    ClassThreshold at90 = only(e, ThresholdRule.targetPrecision(0.9));
    assertThat(at90.precision()).isEqualTo(1.0);
    assertThat(at90.recall()).isEqualTo(0.5);
    assertThat(at90.threshold()).isGreaterThan(0.7).isLessThan(0.8);
  }

  @Test
  void anUnreachedTargetKeepsTheGlobalThresholdAndReportsTheBestPrecision() {
    ClassThreshold t = only(curve("FTF", SIX, 2), ThresholdRule.targetPrecision(0.9));
    assertThat(t.outcome()).isEqualTo(Outcome.TARGET_NOT_REACHED);
    assertThat(t.chosen()).isFalse();
    assertThat(t.threshold()).isNaN();
    assertThat(t.precision()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void aThresholdCannotStopInsideARunOfEqualScores() {
    // T at 0.9, then T and F tied at 0.8: "after the tied T" (F1 = 1) is not a reachable point.
    ClassThreshold t = only(curve("TTF", new double[] {0.9, 0.8, 0.8}, 2), ThresholdRule.bestF1());
    assertThat(t.f1()).isCloseTo(0.8, within(1e-12));
    assertThat(t.recall()).isEqualTo(1.0);
    assertThat(t.threshold()).isGreaterThan(FLOOR).isLessThan(0.8);
  }

  @Test
  void classesWithoutACurveGetNoThresholdAndSayWhy() {
    List<GroundTruthBox> gt = List.of(GroundTruthBox.of("a", 1, 0, 0, 50, 50));
    List<ScoredDetection> dets =
        List.of(
            new ScoredDetection("a", 1, 0.9, 0, 0, 50, 50),
            new ScoredDetection("a", 2, 0.8, 0, 0, 50, 50));
    List<GroundTruthBox> gt3 = new ArrayList<>(gt);
    gt3.add(GroundTruthBox.of("a", 3, 200, 200, 250, 250));
    gt3.add(GroundTruthBox.of("a", 4, 300, 300, 350, 350));
    List<ScoredDetection> dets4 = new ArrayList<>(dets);
    dets4.add(new ScoredDetection("a", 4, 0.7, 900, 900, 950, 950));
    VocEvaluation e =
        new VocEvaluator().evaluate(List.of("hit", "unlabelled", "missed", "wrong"), gt3, dets4);
    ThresholdCalibration c = ThresholdCalibration.of(e, ThresholdRule.bestF1(), FLOOR, 1);
    assertThat(c.classes())
        .extracting(ClassThreshold::outcome)
        .containsExactly(
            Outcome.CHOSEN,
            Outcome.NO_GROUND_TRUTH,
            Outcome.NO_DETECTIONS,
            Outcome.NO_TRUE_POSITIVES);
    assertThat(c.thresholds()).containsOnlyKeys("hit");
    assertThat(c.classes().get(1).detections()).isEqualTo(1);
    assertThat(c.classes().get(2).groundTruth()).isEqualTo(1);
  }

  @Test
  void theLastDetectionsThresholdLiesAboveTheScoreFloor() {
    ClassThreshold t = only(curve("TT", new double[] {0.9, 0.013}, 2), ThresholdRule.bestF1());
    assertThat(t.recall()).isEqualTo(1.0);
    assertThat(t.threshold()).isGreaterThan(FLOOR).isLessThan(0.013);
  }

  @Test
  void forClassesFollowsTheModelsClassesAndMarksMissingOnes() {
    VocEvaluation e = curve("TTFTFF", SIX, 4);
    ThresholdCalibration c =
        ThresholdCalibration.of(e, ThresholdRule.bestF1(), FLOOR, 1)
            .forClasses(List.of("absent", "thing"));
    assertThat(c.classes()).extracting(ClassThreshold::name).containsExactly("absent", "thing");
    assertThat(c.classes()).extracting(ClassThreshold::classId).containsExactly(1, 2);
    assertThat(c.classes().get(0).outcome()).isEqualTo(Outcome.NO_GROUND_TRUTH);
    assertThat(c.thresholds()).containsOnlyKeys("thing");
  }

  /**
   * The promise of a calibration: keeping only the detections over a class's threshold gives the
   * precision and recall reported for it, whether the decoder compares with > or with >=.
   */
  @Test
  void filteringByTheThresholdsReproducesTheReportedPoint() {
    Random random = new Random(7);
    List<String> names = List.of("a", "b", "c");
    List<GroundTruthBox> gt = new ArrayList<>();
    List<ScoredDetection> dets = new ArrayList<>();
    for (int img = 0; img < 40; img++) {
      String id = "img" + img;
      for (int k = 0; k < 4; k++) {
        int cls = 1 + random.nextInt(3);
        double x = 100 * k;
        gt.add(GroundTruthBox.of(id, cls, x, 0, x + 50, 50));
        // Class c's detections of real objects score higher on average the easier c is.
        double score = Math.min(0.99, 0.02 + random.nextDouble() * (0.5 + 0.2 * cls));
        if (random.nextDouble() < 0.8) {
          dets.add(new ScoredDetection(id, cls, round(score), x + 1, 1, x + 51, 51));
        }
        int other = 1 + random.nextInt(3);
        dets.add(
            new ScoredDetection(
                id, other, round(0.02 + random.nextDouble() * 0.6), x + 500, 0, x + 550, 50));
      }
    }
    VocEvaluator evaluator = new VocEvaluator();
    VocEvaluation e = evaluator.evaluate(names, gt, dets);
    for (ThresholdRule rule : List.of(ThresholdRule.bestF1(), ThresholdRule.targetPrecision(0.6))) {
      ThresholdCalibration c = ThresholdCalibration.of(e, rule, FLOOR, 40);
      assertThat(c.thresholds()).as(rule.describe()).isNotEmpty();
      for (boolean strict : new boolean[] {true, false}) {
        List<ScoredDetection> kept = new ArrayList<>();
        for (ScoredDetection d : dets) {
          ClassThreshold t = c.classes().get(d.classId() - 1);
          double th = t.chosen() ? t.threshold() : 0;
          if (strict ? d.score() > th : d.score() >= th) {
            kept.add(d);
          }
        }
        VocEvaluation filtered = evaluator.evaluate(names, gt, kept);
        for (ClassThreshold t : c.classes()) {
          if (!t.chosen()) {
            continue;
          }
          ClassAp ap = filtered.classes().get(t.classId() - 1);
          int last = ap.precision().length - 1;
          assertThat(ap.precision()[last]).as(t.name()).isCloseTo(t.precision(), within(1e-12));
          assertThat(ap.recall()[last]).as(t.name()).isCloseTo(t.recall(), within(1e-12));
        }
      }
    }
  }

  private static double round(double v) {
    return Math.round(v * 50) / 50.0; // coarse scores, so that runs of equal scores occur
  }

  @Test
  void betweenIsStrictlyInsideTheGap() {
    Random random = new Random(3);
    for (int i = 0; i < 10_000; i++) {
      double a = random.nextFloat();
      double b = random.nextFloat();
      if (a == b) {
        continue;
      }
      double lower = Math.min(a, b);
      double upper = Math.max(a, b);
      assertThat(ThresholdCalibration.between(lower, upper)).isGreaterThan(lower).isLessThan(upper);
    }
    assertThat(ThresholdCalibration.between(0.4445, 0.4601)).isEqualTo(0.45);
  }

  @Test
  void rulesAreValidated() {
    assertThatThrownBy(() -> ThresholdRule.targetPrecision(0))
        .hasMessageContaining("targetPrecision must be in (0, 1]");
    assertThatThrownBy(() -> ThresholdRule.targetPrecision(1.5))
        .hasMessageContaining("targetPrecision");
    assertThatThrownBy(() -> new ThresholdRule(ThresholdRule.Kind.F1, 0.9))
        .hasMessageContaining("F1 rule takes none");
    assertThat(ThresholdRule.targetPrecision(0.9).describe()).isEqualTo("precision >= 0.9");
  }

  @Test
  void theTableShowsThresholdsAndWhyAClassHasNone() {
    VocEvaluation e =
        new VocEvaluator()
            .evaluate(
                List.of("thing", "other"),
                List.of(GroundTruthBox.of("img", 1, 0, 0, 50, 50)),
                List.of(new ScoredDetection("img", 1, 0.9, 0, 0, 50, 50)));
    String table =
        EvaluationTables.thresholds(ThresholdCalibration.of(e, ThresholdRule.bestF1(), FLOOR, 1));
    assertThat(table).contains("best F1 on 1 images");
    assertThat(table).containsPattern("thing +0\\.5 +1\\.000 +1\\.000 +1\\.000 +1 +1");
    assertThat(table).contains("no ground truth: the global threshold applies");
  }
}
