package org.grievance.ssd.register.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.grievance.ssd.decode.Detection;
import org.junit.jupiter.api.Test;

class ReviewPriorityTest {
  private static final ReviewPriority P = ReviewPriority.DEFAULT;
  private static final TagThresholds HALF = TagThresholds.uniform(0.5);

  private static Detection det(String name, double score) {
    return new Detection(1, name, score, 0, 0, 10, 10);
  }

  private static List<Detection> dets(double... scores) {
    List<Detection> out = new ArrayList<>();
    for (double s : scores) {
      out.add(det("pothole", s));
    }
    return out;
  }

  @Test
  void noDetectionsTeachNothingToRank() {
    assertThat(P.of(List.of(), HALF)).isZero();
  }

  @Test
  void aBestScoreAtTheThresholdIsMostUncertainAndFallsOffLinearlyToTheBandsEdge() {
    assertThat(P.borderline(dets(0.5), HALF)).isEqualTo(1.0);
    assertThat(P.borderline(dets(0.625), HALF)).isCloseTo(0.5, within(1e-12));
    assertThat(P.borderline(dets(0.375), HALF)).isCloseTo(0.5, within(1e-12));
    assertThat(P.borderline(dets(0.75), HALF)).isZero();
    assertThat(P.borderline(dets(0.99), HALF)).as("a sure detection").isZero();
    // Only the best detection decides whether the grievance got its category.
    assertThat(P.borderline(dets(0.98, 0.5), HALF)).isZero();
  }

  @Test
  void theBestDetectionIsMeasuredAgainstItsOwnClassesThreshold() {
    TagThresholds perClass = new TagThresholds(Map.of("graffiti", 0.9), 0.5);
    List<Detection> graffiti = List.of(det("graffiti", 0.88));
    assertThat(P.borderline(graffiti, perClass)).isCloseTo(1 - 0.02 / 0.25, within(1e-12));
    assertThat(P.borderline(graffiti, HALF)).isZero();
  }

  @Test
  void lowScoreBoxesCountBetweenTheFloorAndTheirThresholdWithDiminishingReturns() {
    assertThat(P.crowd(dets(0.9, 0.6, 0.01), HALF)).as("none in [0.05, 0.5)").isZero();
    assertThat(P.crowd(dets(0.9, 0.1, 0.2, 0.3, 0.4), HALF)).isCloseTo(0.5, within(1e-12));
    double twelve = P.crowd(dets(Collections.nCopies(12, 0.2)), HALF);
    assertThat(twelve).isCloseTo(0.75, within(1e-12)).isLessThan(1);
  }

  private static List<Detection> dets(List<Double> scores) {
    return dets(scores.stream().mapToDouble(Double::doubleValue).toArray());
  }

  @Test
  void aBorderlinePhotoOutranksASureOneAndClutterAddsToEither() {
    double sure = P.of(dets(0.97), HALF);
    double borderline = P.of(dets(0.52), HALF);
    double borderlineWithClutter = P.of(dets(0.52, 0.2, 0.3, 0.1), HALF);
    double sureWithClutter = P.of(dets(0.97, 0.2, 0.3, 0.1, 0.15), HALF);
    assertThat(sure).isZero();
    assertThat(borderline).isGreaterThan(sureWithClutter);
    assertThat(borderlineWithClutter).isGreaterThan(borderline);
    assertThat(sureWithClutter).isGreaterThan(sure).isLessThan(P.crowdWeight());
    assertThat(P.of(dets(0.5, 0.2, 0.2, 0.2, 0.2), HALF))
        .as("borderline + weight x crowd")
        .isCloseTo(1 + 0.5 * 0.5, within(1e-12));
  }

  @Test
  void theSameDetectionsAlwaysGiveTheSamePriorityWhateverTheirOrder() {
    List<Detection> a = dets(0.2, 0.45, 0.1, 0.3);
    List<Detection> b = new ArrayList<>(a);
    Collections.reverse(b);
    assertThat(P.of(a, HALF)).isEqualTo(P.of(b, HALF));
  }

  @Test
  void settingsAreValidatedNamingTheParameter() {
    assertThatThrownBy(() -> new ReviewPriority(0, 0.05, 4, 0.5)).hasMessageContaining("band");
    assertThatThrownBy(() -> new ReviewPriority(0.25, 1, 4, 0.5))
        .hasMessageContaining("lowScoreFloor");
    assertThatThrownBy(() -> new ReviewPriority(0.25, 0.05, 0, 0.5))
        .hasMessageContaining("crowdHalf");
    assertThatThrownBy(() -> new ReviewPriority(0.25, 0.05, 4, Double.NaN))
        .hasMessageContaining("crowdWeight");
  }
}
