package org.grievance.ssd.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.anchor.AnchorGenerator;
import org.grievance.ssd.anchor.Anchors;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.BoxFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Published encoder examples (docs/reference-behaviour.md#encoder-examples) and input validation.
 */
class SsdInputEncoderTest {
  private static final Anchors SSD300 = AnchorGenerator.generate(AnchorConfig.ssd300Voc());
  private static final double[] TWO_BOXES = {1, 100, 100, 200, 200, 15, 20, 30, 120, 280};

  @Test
  void ssd300MultiMatchingCounts() {
    EncodedTargets neg05 = encoder(SSD300, voc().negIouLimit(0.5)).encode(TWO_BOXES);
    assertCounts(neg05, 19, 8713, 0);
    EncodedTargets neg03 = encoder(SSD300, voc()).encode(TWO_BOXES);
    assertCounts(neg03, 19, 8533, 180);
    List<Integer> class1 = new ArrayList<>();
    List<Integer> class15 = new ArrayList<>();
    for (int a = 0; a < neg03.count(); a++) {
      if (neg03.classId(a) == 1) {
        class1.add(a);
      } else if (neg03.classId(a) == 15) {
        class15.add(a);
      } else {
        assertThat(neg03.classId(a)).isIn(0, -1);
      }
    }
    assertThat(class1)
        .containsExactly(
            6737, 6743, 6749, 6851, 6857, 6863, 6965, 6971, 8206, 8207, 8208, 8209, 8212, 8214,
            8266, 8269);
    assertThat(class15).containsExactly(8611, 8613, 8707);
  }

  @Test
  void ssd300MultiMatchingOffsets() {
    EncodedTargets t = encoder(SSD300, voc()).encode(TWO_BOXES);
    assertOffsets(t, 6737, 5e-6, 1.715501, 1.715501, 1.016164, 1.016164);
    assertOffsets(t, 8206, 5e-6, 0.540541, 0.540541, -0.5218, -0.5218);
    assertOffsets(t, 8208, 5e-6, 0.38222, 0.76444, -2.254668, 1.211068);
    assertOffsets(t, 8611, 5e-6, -2.269725, -0.218243, -0.679263, 0.436455);
    assertOffsets(t, 8707, 5e-6, 1.3279, 0.165988, -2.047742, -0.932024);
    for (int a = 0; a < t.count(); a++) {
      if (t.classId(a) <= 0) {
        for (int j = 0; j < 4; j++) {
          assertThat(t.offset(a, j)).isZero();
        }
      }
    }
  }

  @Test
  void ssd300BipartiteOnly() {
    EncoderConfig.Builder bip = voc().matchingType(MatchingType.BIPARTITE);
    EncodedTargets neg05 = encoder(SSD300, bip.negIouLimit(0.5)).encode(TWO_BOXES);
    assertCounts(neg05, 2, 8713, 17);
    assertThat(neg05.classId(8206)).isEqualTo(1);
    assertThat(neg05.classId(8611)).isEqualTo(15);
    assertCounts(encoder(SSD300, bip.negIouLimit(0.3)).encode(TWO_BOXES), 2, 8533, 197);
  }

  @Test
  void sameEncodingInEveryFormatNormalisedOrNot() {
    double[] box = {7, 33, 44, 155, 266};
    double[][] expected = {
      {1.044, 3.2066, -0.4727, 2.5206}, // centroids
      {1.4951, -0.071, 0.2965, 3.2421}, // corners
      {1.4951, 0.593, -0.0355, 3.2421} // minmax
    };
    BoxFormat[] formats = {BoxFormat.CENTROIDS, BoxFormat.CORNERS, BoxFormat.MINMAX};
    for (int f = 0; f < 3; f++) {
      for (boolean normalize : new boolean[] {true, false}) {
        Anchors anchors =
            AnchorGenerator.generate(
                AnchorConfig.ssd300Voc().toBuilder()
                    .coords(formats[f])
                    .normalizeCoords(normalize)
                    .build());
        EncodedTargets t = encoder(anchors, voc()).encode(box);
        assertThat(t.positives()).as("%s normalize=%s", formats[f], normalize).isEqualTo(11);
        int first = 0;
        while (t.classId(first) <= 0) {
          first++;
        }
        assertThat(first).isEqualTo(8135);
        assertThat(t.classId(first)).isEqualTo(7);
        assertOffsets(t, first, 5e-5, expected[f]);
      }
    }
  }

  @Test
  void ssd7Examples() {
    Anchors ssd7 = AnchorGenerator.generate(AnchorConfig.ssd7(300, 480));
    double[] labels = {1, 12, 141, 60, 177, 1, 369, 110, 479, 217};
    assertCounts(encoder(ssd7, EncoderConfig.builder(5)).encode(labels), 14, 11589, 89);
    EncodedTargets bip =
        encoder(ssd7, EncoderConfig.builder(5).matchingType(MatchingType.BIPARTITE)).encode(labels);
    assertCounts(bip, 2, 11692 - 2 - 101, 101);
    assertThat(bip.classId(9971)).isEqualTo(1);
    assertThat(bip.classId(11333)).isEqualTo(1);
    assertCounts(encoder(ssd7, EncoderConfig.builder(5)).encode(new double[0]), 0, 11692, 0);
  }

  @Test
  void encodeIntoOverwritesItsSlotOnlyAndAgreesWithEncode() {
    SsdInputEncoder enc = encoder(SSD300, voc());
    int n = enc.anchorCount();
    int[] classes = new int[3 * n];
    float[] offsets = new float[3 * 4 * n];
    Arrays.fill(classes, 99);
    Arrays.fill(offsets, 7f);
    int positives = enc.encodeInto(TWO_BOXES, classes, n, offsets, 4 * n);
    EncodedTargets t = enc.encode(TWO_BOXES);
    assertThat(positives).isEqualTo(19);
    assertThat(Arrays.copyOfRange(classes, n, 2 * n)).containsExactly(t.classIds());
    assertThat(Arrays.copyOfRange(offsets, 4 * n, 8 * n)).containsExactly(t.offsets());
    assertThat(classes[n - 1]).isEqualTo(99);
    assertThat(classes[2 * n]).isEqualTo(99);
    assertThat(offsets[4 * n - 1]).isEqualTo(7f);
    assertThat(offsets[8 * n]).isEqualTo(7f);
    // Reusing the encoder (and its scratch) gives the same answer again.
    assertThat(enc.encode(TWO_BOXES).classIds()).containsExactly(t.classIds());
    assertThatIllegalArgumentException()
        .isThrownBy(() -> enc.encodeInto(TWO_BOXES, new int[n - 1], 0, new float[4 * n], 0))
        .withMessageContaining("classOut");
  }

  @Test
  void invalidBoxesAreRejectedNamingTheRow() {
    SsdInputEncoder enc = encoder(SSD300, voc());
    assertInvalid(enc, new double[] {1, 10, 10, 50, 50, 2, 60, 10, 60, 40}, 1, "degenerate");
    assertInvalid(enc, new double[] {1, 10, 40, 50, 30}, 0, "degenerate");
    assertInvalid(enc, new double[] {0, 10, 10, 50, 50}, 0, "class id must be an integer in 1..20");
    assertInvalid(enc, new double[] {21, 10, 10, 50, 50}, 0, "1..20");
    assertInvalid(enc, new double[] {2.5, 10, 10, 50, 50}, 0, "1..20");
    assertInvalid(enc, new double[] {1, Double.NaN, 10, 50, 50}, 0, "finite");
    assertInvalid(
        enc,
        new double[] {1, 10, 10, 50, 50, 1, 10, 10, Double.POSITIVE_INFINITY, 50},
        1,
        "finite");
    assertInvalid(enc, new double[] {1, 300, 10, 350, 50}, 0, "does not overlap the 300x300 image");
    assertInvalid(enc, new double[] {1, -50, -40, 0, 50}, 0, "does not overlap");
    assertThatThrownBy(() -> enc.encode(new double[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 numbers per box");
  }

  @Test
  void invalidBoxMessageNamesTheValues() {
    assertThatThrownBy(() -> encoder(SSD300, voc()).encode(new double[] {3, 10, 40, 50, 30}))
        .hasMessage(
            "label row 0 (class 3.0, xmin 10.0, ymin 40.0, xmax 50.0, ymax 30.0): degenerate box:"
                + " needs xmax > xmin and ymax > ymin");
  }

  @Test
  @DisplayName(
      "quirk: box outside the image — dropped with a warning, the rest encoded as without it")
  void outsideBoxIsDroppedWhenConfigured() {
    SsdInputEncoder drop =
        encoder(SSD300, voc().outsideBoxPolicy(OutsideBoxPolicy.DROP_WITH_WARNING));
    double[] with = {5, 400, 400, 450, 450, 1, 100, 100, 200, 200, 15, 20, 30, 120, 280};
    EncodedTargets t = drop.encode(with);
    EncodedTargets without = drop.encode(TWO_BOXES);
    assertThat(t.classIds()).containsExactly(without.classIds());
    assertThat(t.offsets()).containsExactly(without.offsets());
    assertThat(t.classId(0)).isZero();
    assertCounts(drop.encode(new double[] {5, 400, 400, 450, 450}), 0, 8732, 0);
  }

  @Test
  @DisplayName("quirk: border width after normalisation — d is added in pixels, then normalised")
  void includeBorderWidthIsAddedInPixels() {
    SsdInputEncoder enc = encoder(SSD300, voc().borderPixels(BorderPixels.INCLUDE));
    double[] box = {1, 100, 100, 199, 199};
    EncodedTargets t = enc.encode(box);
    // With include the box is 199 - 100 + 1 = 100 pixels wide, i.e. 1/3 of the image. The
    // reference would add the 1 after normalising: width 99/300 + 1.
    double[] anchors = SSD300.centroids();
    int matched = -1;
    for (int a = 0; a < t.count() && matched < 0; a++) {
      if (t.classId(a) == 1) {
        matched = a;
      }
    }
    assertThat(matched).isNotNegative();
    double expectedW = Math.log((100.0 / 300) / anchors[4 * matched + 2]) / 0.2;
    assertThat((double) t.offset(matched, 2)).isCloseTo(expectedW, Offset.offset(1e-6));
  }

  @Test
  void configValidation() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EncoderConfig.builder(0).build())
        .withMessageContaining("nClasses must be at least 1, but is 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EncoderConfig.builder(3).posIouThreshold(0).build())
        .withMessageContaining("posIouThreshold must be in (0, 1], but is 0.0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EncoderConfig.builder(3).negIouLimit(1.5).build())
        .withMessageContaining("negIouLimit");
    EncoderConfig d = EncoderConfig.builder(3).build();
    assertThat(d.matchingType()).isEqualTo(MatchingType.MULTI);
    assertThat(d.posIouThreshold()).isEqualTo(0.5);
    assertThat(d.negIouLimit()).isEqualTo(0.3);
    assertThat(d.borderPixels()).isEqualTo(BorderPixels.HALF);
    assertThat(d.backgroundId()).isZero();
    assertThat(d.outsideBoxPolicy()).isEqualTo(OutsideBoxPolicy.REJECT);
  }

  // ---------------------------------------------------------------------------------------------

  private static EncoderConfig.Builder voc() {
    return EncoderConfig.builder(20);
  }

  private static SsdInputEncoder encoder(Anchors anchors, EncoderConfig.Builder cfg) {
    return new SsdInputEncoder(anchors, cfg.build());
  }

  private static void assertCounts(EncodedTargets t, int pos, int background, int neutral) {
    assertThat(t.positives()).as("positives").isEqualTo(pos);
    assertThat(t.backgrounds()).as("background").isEqualTo(background);
    assertThat(t.neutrals()).as("neutrals").isEqualTo(neutral);
    int counted = 0;
    for (int c : t.classIds()) {
      if (c > 0) {
        counted++;
      }
    }
    assertThat(counted).isEqualTo(pos);
  }

  private static void assertOffsets(EncodedTargets t, int anchor, double eps, double... expected) {
    for (int j = 0; j < 4; j++) {
      assertThat((double) t.offset(anchor, j))
          .as("anchor %d offset %d", anchor, j)
          .isCloseTo(expected[j], Offset.offset(eps));
    }
  }

  private static void assertInvalid(SsdInputEncoder enc, double[] labels, int row, String what) {
    assertThatThrownBy(() -> enc.encode(labels))
        .isInstanceOf(InvalidBoxException.class)
        .hasMessageStartingWith("label row " + row + " ")
        .hasMessageContaining(what)
        .satisfies(e -> assertThat(((InvalidBoxException) e).boxIndex()).isEqualTo(row));
  }
}
