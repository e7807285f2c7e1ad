package org.grievance.ssd.box;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.grievance.ssd.data.ObjectBox;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.eval.GroundTruthBox;
import org.grievance.ssd.eval.ScoredDetection;
import org.junit.jupiter.api.Test;

class BoxChecksTest {
  private static final double NAN = Double.NaN;
  private static final double INF = Double.POSITIVE_INFINITY;

  @Test
  void classIdIsAtLeastOne() {
    assertThatCode(() -> BoxChecks.requireClassId(1)).doesNotThrowAnyException();
    assertThatThrownBy(() -> BoxChecks.requireClassId(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("classId must be >= 1 (0 is background), got 0");
    assertThatThrownBy(() -> BoxChecks.requireClassId(-2, "detection", "img"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("detection classId must be >= 1 but is -2 (image img)");
  }

  @Test
  void cornersAreFiniteButMayBeDegenerate() {
    assertThatCode(() -> BoxChecks.requireFiniteCorners(5, 5, 1, 1)).doesNotThrowAnyException();
    assertThatThrownBy(() -> BoxChecks.requireFiniteCorners(0, NAN, INF, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ymin must be finite, got NaN");
    assertThatThrownBy(() -> BoxChecks.requireFiniteCorners(0, 0, 1, -INF))
        .hasMessage("ymax must be finite, got -Infinity");
    assertThatThrownBy(() -> BoxChecks.requireFiniteCorners(0, 1, INF, 3, "ground truth", "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "ground truth box of image a has a non-finite coordinate: 0.0, 1.0, Infinity, 3.0");
  }

  @Test
  void areaIsNaNOrFiniteAndNotNegative() {
    assertThatCode(() -> BoxChecks.requireArea(NAN)).doesNotThrowAnyException();
    assertThatCode(() -> BoxChecks.requireArea(0)).doesNotThrowAnyException();
    assertThatThrownBy(() -> BoxChecks.requireArea(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("area must be NaN or a finite value >= 0, got -1.0");
    assertThatThrownBy(() -> BoxChecks.requireArea(INF))
        .hasMessage("area must be NaN or a finite value >= 0, got Infinity");
    assertThatCode(() -> BoxChecks.requireArea(NAN, "ground truth", "a"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> BoxChecks.requireArea(-0.5, "ground truth", "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ground truth area must be >= 0 or NaN but is -0.5 (image a)");
  }

  /** The four box records report through these checks, each in its own words. */
  @Test
  void theBoxRecordsUseTheseChecks() {
    assertThatThrownBy(() -> ObjectBox.of(0, 0, 0, 1, 1))
        .hasMessage("classId must be >= 1 (0 is background), got 0");
    assertThatThrownBy(() -> ObjectBox.of(1, 0, 0, NAN, 1))
        .hasMessage("xmax must be finite, got NaN");
    assertThatThrownBy(() -> new ObjectBox(1, 0, 0, 1, 1, false, false, false, -2))
        .hasMessage("area must be NaN or a finite value >= 0, got -2.0");
    assertThatThrownBy(() -> new Detection(0, "x", 0.5, 0, 0, 1, 1))
        .hasMessage("classId must be >= 1 (0 is background), got 0");
    assertThatCode(() -> new Detection(1, "x", 0.5, NAN, 0, 1, 1)).doesNotThrowAnyException();
    assertThatThrownBy(() -> GroundTruthBox.of("g", 0, 0, 0, 1, 1))
        .hasMessage("ground truth classId must be >= 1 but is 0 (image g)");
    assertThatThrownBy(() -> GroundTruthBox.of("g", 1, NAN, 0, 1, 1))
        .hasMessage("ground truth box of image g has a non-finite coordinate: NaN, 0.0, 1.0, 1.0");
    assertThatThrownBy(() -> new GroundTruthBox("g", 1, 0, 0, 1, 1, false, false, INF))
        .hasMessage("ground truth area must be >= 0 or NaN but is Infinity (image g)");
    assertThatThrownBy(() -> new ScoredDetection("d", 0, 0.5, 0, 0, 1, 1))
        .hasMessage("detection classId must be >= 1 but is 0 (image d)");
    assertThatThrownBy(() -> new ScoredDetection("d", 1, 0.5, 0, 0, 1, INF))
        .hasMessage(
            "detection box of image d has a non-finite coordinate: 0.0, 0.0, 1.0, Infinity");
  }
}
