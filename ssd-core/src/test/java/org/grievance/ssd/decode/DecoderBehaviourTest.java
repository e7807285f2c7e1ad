package org.grievance.ssd.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DecoderBehaviourTest {
  private static final double[] VARIANCES = {0.1, 0.1, 0.2, 0.2};

  /**
   * docs/reference-behaviour.md#decoder-example: two anchors (0.5, 0.5, 0.88, 0.88), image 300×300,
   * one object class.
   */
  private static final double[] EXAMPLE_ANCHORS = {0.5, 0.5, 0.88, 0.88, 0.5, 0.5, 0.88, 0.88};

  private static final double[] EXAMPLE_OFFSETS = {1, -1, 0.5, 0, 1.1, -1, 0.5, 0};
  private static final double[] EXAMPLE_SCORES = {0.3, 0.7, 0.4, 0.6};

  private static DecoderConfig.Builder config() {
    return DecoderConfig.builder();
  }

  private static void assertBox(Detection d, double xmin, double ymin, double xmax, double ymax) {
    assertThat(d.xmin()).isCloseTo(xmin, within(1e-4));
    assertThat(d.ymin()).isCloseTo(ymin, within(1e-4));
    assertThat(d.xmax()).isCloseTo(xmax, within(1e-4));
    assertThat(d.ymax()).isCloseTo(ymax, within(1e-4));
  }

  @Test
  @DisplayName("the second box is suppressed at IoU 0.45 and kept at 0.999, no clipping")
  void specExampleNms() {
    List<Detection> at045 =
        new PerClassNmsDecoder(EXAMPLE_ANCHORS, VARIANCES, config().build())
            .decode(EXAMPLE_SCORES, EXAMPLE_OFFSETS, 300, 300);
    assertThat(at045).hasSize(1);
    assertThat(at045.get(0).classId()).isEqualTo(1);
    assertThat(at045.get(0).className()).isEqualTo("class_1");
    assertThat(at045.get(0).score()).isEqualTo(0.7);
    assertBox(at045.get(0), 30.5174, -8.4, 322.2826, 255.6);

    List<Detection> at0999 =
        new PerClassNmsDecoder(EXAMPLE_ANCHORS, VARIANCES, config().iouThreshold(0.999).build())
            .decode(EXAMPLE_SCORES, EXAMPLE_OFFSETS, 300, 300);
    assertThat(at0999).extracting(Detection::score).containsExactly(0.7, 0.6);
    assertBox(at0999.get(1), 33.1574, -8.4, 324.9226, 255.6);

    List<Detection> fast =
        new GlobalNmsDecoder(EXAMPLE_ANCHORS, VARIANCES, config().build())
            .decode(EXAMPLE_SCORES, EXAMPLE_OFFSETS, 300, 300);
    assertThat(fast).extracting(Detection::score).containsExactly(0.7);
  }

  @Test
  @DisplayName("threshold 0.7 is strict for the per-class decoder, non-strict for the fast")
  void specExampleThresholds() {
    DecoderConfig c = config().confidenceThreshold(0.7).build();
    assertThat(
            new PerClassNmsDecoder(EXAMPLE_ANCHORS, VARIANCES, c)
                .decode(EXAMPLE_SCORES, EXAMPLE_OFFSETS, 300, 300))
        .isEmpty();
    List<Detection> fast =
        new GlobalNmsDecoder(EXAMPLE_ANCHORS, VARIANCES, c)
            .decode(EXAMPLE_SCORES, EXAMPLE_OFFSETS, 300, 300);
    assertThat(fast).hasSize(1);
    assertThat(fast.get(0).score()).isEqualTo(0.7);
    assertBox(fast.get(0), 30.5174, -8.4, 322.2826, 255.6);
  }

  /**
   * Two far-apart anchors, zero offsets: anchor 0 says class 1 at 0.6, anchor 1 class 2 at 0.6
   * (background 0.4 each).
   */
  private static final double[] TWO_ANCHORS = {0.25, 0.25, 0.1, 0.1, 0.75, 0.75, 0.1, 0.1};

  private static final double[] TWO_CLASSES = {0.4, 0.6, 0.0, 0.4, 0.0, 0.6};

  @Test
  @DisplayName("per-class thresholds: a class held high drops what a class held low keeps")
  void classThresholds() {
    DecoderConfig c = config().confidenceThreshold(0.5).classThresholds(List.of(0.7, 0.3)).build();
    for (DetectionDecoder decoder :
        List.of(
            new PerClassNmsDecoder(TWO_ANCHORS, VARIANCES, c),
            new GlobalNmsDecoder(TWO_ANCHORS, VARIANCES, c))) {
      assertThat(decoder.decode(TWO_CLASSES, new double[8], 100, 100))
          .as(decoder.getClass().getSimpleName())
          .extracting(Detection::classId)
          .containsExactly(2);
    }
    // Without them both classes pass the global 0.5.
    DecoderConfig global = config().confidenceThreshold(0.5).build();
    assertThat(
            new PerClassNmsDecoder(TWO_ANCHORS, VARIANCES, global)
                .decode(TWO_CLASSES, new double[8], 100, 100))
        .extracting(Detection::classId)
        .containsExactly(1, 2);
  }

  @Test
  @DisplayName("per-class thresholds apply before top-k: a dropped class leaves its slot free")
  void classThresholdsBeforeTopK() {
    double[] scores = {0.1, 0.9, 0.0, 0.4, 0.0, 0.6};
    DecoderConfig c = config().topK(1).classThresholds(List.of(0.95, 0.3)).build();
    assertThat(
            new PerClassNmsDecoder(TWO_ANCHORS, VARIANCES, c)
                .decode(scores, new double[8], 100, 100))
        .extracting(Detection::classId)
        .containsExactly(2);
  }

  @Test
  void classThresholdsMustMatchTheScoresClasses() {
    DecoderConfig c = config().classThresholds(List.of(0.5, 0.5, 0.5)).build();
    assertThatThrownBy(
            () ->
                new PerClassNmsDecoder(TWO_ANCHORS, VARIANCES, c)
                    .decode(TWO_CLASSES, new double[8], 100, 100))
        .hasMessageContaining("classThresholds holds 3 thresholds but the scores have 2");
  }

  @Test
  void noCandidatesGivesAnEmptyList() {
    double[] scores = {0.995, 0.005, 0.999, 0.001};
    assertThat(
            new PerClassNmsDecoder(EXAMPLE_ANCHORS, VARIANCES, config().build())
                .decode(scores, EXAMPLE_OFFSETS, 300, 300))
        .isEmpty();
    assertThat(
            new GlobalNmsDecoder(EXAMPLE_ANCHORS, VARIANCES, config().build())
                .decode(scores, EXAMPLE_OFFSETS, 300, 300))
        .isEmpty();
  }

  @Test
  @DisplayName("the fast decoder drops a box whose argmax is background even above the threshold")
  void fastDropsBackgroundArgmax() {
    double[] anchors = {0.5, 0.5, 0.2, 0.2};
    double[] scores = {0.5, 0.3, 0.2};
    double[] offsets = new double[4];
    DecoderConfig c = config().confidenceThreshold(0.1).build();
    assertThat(new GlobalNmsDecoder(anchors, VARIANCES, c).decode(scores, offsets, 100, 100))
        .isEmpty();
    assertThat(new PerClassNmsDecoder(anchors, VARIANCES, c).decode(scores, offsets, 100, 100))
        .extracting(Detection::classId)
        .containsExactly(1, 2);
  }

  @Test
  @DisplayName("argmax ties go to the lowest class, background first")
  void argmaxTies() {
    double[] anchors = {0.2, 0.2, 0.1, 0.1, 0.7, 0.7, 0.1, 0.1};
    // anchor 0: classes 1 and 2 tie; anchor 1: background ties with class 2.
    double[] scores = {0.2, 0.4, 0.4, 0.4, 0.2, 0.4};
    List<Detection> out =
        new GlobalNmsDecoder(anchors, VARIANCES, config().build())
            .decode(scores, new double[8], 100, 100);
    assertThat(out).extracting(Detection::classId).containsExactly(1);
  }

  @Test
  @DisplayName("equal scores: identical boxes keep the lowest anchor; classes keep id order")
  void ties() {
    // Three identical anchors, zero offsets: identical boxes with equal scores.
    double[] anchors = {0.5, 0.5, 0.2, 0.2, 0.5, 0.5, 0.2, 0.2, 0.5, 0.5, 0.2, 0.2};
    double[] scores = {0.2, 0.4, 0.4, 0.2, 0.4, 0.4, 0.2, 0.4, 0.4};
    DecoderConfig c = config().classNames(List.of("cat", "dog")).build();
    List<Detection> perClass =
        new PerClassNmsDecoder(anchors, VARIANCES, c).decode(scores, new double[12], 10, 10);
    assertThat(perClass).extracting(Detection::className).containsExactly("cat", "dog");

    // With NMS disabled the fast decoder keeps anchor order for equal scores; mark the anchors by
    // their boxes (the offsets move each box by its anchor index).
    double[] offsets = {0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0};
    List<Detection> noNms =
        new GlobalNmsDecoder(anchors, VARIANCES, config().noNms().build())
            .decode(scores, offsets, 10, 10);
    assertThat(noNms).extracting(Detection::xmin).containsExactly(4.0, 4.2, 4.4);
    assertThat(noNms).extracting(Detection::classId).containsExactly(1, 1, 1);

    // With NMS the first of the identical, equally scored boxes survives.
    List<Detection> withNms =
        new GlobalNmsDecoder(anchors, VARIANCES, config().build())
            .decode(scores, new double[12], 10, 10);
    assertThat(withNms).hasSize(1);
    List<Detection> withNmsMarked =
        new GlobalNmsDecoder(anchors, VARIANCES, config().iouThreshold(0.9).build())
            .decode(scores, new double[] {0, 0, 0, 0, 0.01, 0, 0, 0, 0.02, 0, 0, 0}, 10, 10);
    assertThat(withNmsMarked).extracting(Detection::xmin).containsExactly(4.0);
  }

  @Test
  void oneClassAndTopKOne() {
    double[] anchors = {0.25, 0.25, 0.2, 0.2, 0.75, 0.75, 0.2, 0.2};
    double[] scores = {0.4, 0.6, 0.1, 0.9};
    DecoderConfig c = config().topK(1).build();
    List<Detection> out =
        new PerClassNmsDecoder(anchors, VARIANCES, c).decode(scores, new double[8], 100, 200);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).score()).isEqualTo(0.9);
    assertThat(out.get(0).xmin()).isCloseTo(130, within(1e-9));
    assertThat(out.get(0).ymin()).isCloseTo(65, within(1e-9));
    assertThat(out.get(0).xmax()).isCloseTo(170, within(1e-9));
    assertThat(out.get(0).ymax()).isCloseTo(85, within(1e-9));
  }

  @Test
  void decodeToFrameScalesEachAxis() {
    double[] anchors = {0.25, 0.5, 0.2, 0.4};
    double[] scores = {0.1, 0.9};
    DetectionDecoder normalised = new PerClassNmsDecoder(anchors, VARIANCES, config().build());
    Detection d = normalised.decodeToFrame(scores, new double[4], 300, 300, 600, 900).get(0);
    assertThat(new double[] {d.xmin(), d.ymin(), d.xmax(), d.ymax()})
        .containsExactly(new double[] {135, 180, 315, 420}, within(1e-9));

    double[] pixelAnchors = {75, 150, 60, 120};
    DetectionDecoder pixels =
        new PerClassNmsDecoder(pixelAnchors, VARIANCES, config().normalizeCoords(false).build());
    Detection p = pixels.decodeToFrame(scores, new double[4], 300, 300, 600, 900).get(0);
    assertThat(new double[] {p.xmin(), p.ymin(), p.xmax(), p.ymax()})
        .containsExactly(new double[] {135, 180, 315, 420}, within(1e-9));
    Detection same = pixels.decode(scores, new double[4], 300, 300).get(0);
    assertThat(same.xmin()).isEqualTo(45);
  }

  @Test
  void floatInputMatchesDoubleInput() {
    float[] scores = {0.3f, 0.7f, 0.4f, 0.6f};
    float[] offsets = {1, -1, 0.5f, 0, 1.1f, -1, 0.5f, 0};
    DetectionDecoder decoder =
        new PerClassNmsDecoder(EXAMPLE_ANCHORS, VARIANCES, config().iouThreshold(0.999).build());
    List<Detection> out = decoder.decode(scores, offsets, 300, 300);
    assertThat(out).hasSize(2);
    assertThat(out.get(0).score()).isEqualTo((double) 0.7f);
    assertBox(out.get(0), 30.5174, -8.4, 322.2826, 255.6);
    assertThat(decoder.decodeToFrame(scores, offsets, 300, 300, 150, 150).get(0).xmax())
        .isCloseTo(322.2826 / 2, within(1e-4));
  }

  @Test
  void badInputsAreRejectedWithTheirSizes() {
    DetectionDecoder decoder = new PerClassNmsDecoder(EXAMPLE_ANCHORS, VARIANCES, config().build());
    assertThatThrownBy(() -> decoder.decode(new double[5], EXAMPLE_OFFSETS, 300, 300))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("classScores")
        .hasMessageContaining("length 5");
    assertThatThrownBy(() -> decoder.decode(new double[2], EXAMPLE_OFFSETS, 300, 300))
        .hasMessageContaining("(C+1) >= 2");
    assertThatThrownBy(() -> decoder.decode(EXAMPLE_SCORES, new double[4], 300, 300))
        .hasMessageContaining("offsets")
        .hasMessageContaining("length 4");
    assertThatThrownBy(() -> decoder.decode(EXAMPLE_SCORES, EXAMPLE_OFFSETS, 0, 300))
        .hasMessageContaining("inputHeight must be positive, got 0");
    DetectionDecoder named =
        new PerClassNmsDecoder(
            EXAMPLE_ANCHORS, VARIANCES, config().classNames(List.of("a", "b")).build());
    assertThatThrownBy(() -> named.decode(EXAMPLE_SCORES, EXAMPLE_OFFSETS, 300, 300))
        .hasMessageContaining("classNames holds 2 names")
        .hasMessageContaining("1 object classes");
    assertThatThrownBy(() -> new PerClassNmsDecoder(new double[0], VARIANCES, config().build()))
        .hasMessageContaining("at least one anchor");
  }
}
