package org.grievance.ssd.box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The offset encoding and its inverse undo each other, in every format and variance setting. */
class BoxCoderTest {
  private static final double TOLERANCE = 1e-9;

  @Property(tries = 2000)
  void decodeUndoesEncode(
      @ForAll BoxFormat format,
      @ForAll("variances") double[] variances,
      @ForAll("corners") double[] anchor,
      @ForAll("corners") double[] box) {
    BoxCoder coder = new BoxCoder(format, variances);
    double[] a = Boxes.convert(anchor, BoxFormat.CORNERS, format, BorderPixels.HALF);
    double[] b = Boxes.convert(box, BoxFormat.CORNERS, format, BorderPixels.HALF);
    double[] offsets = new double[4];
    coder.encode(b, 0, a, 0, offsets, 0);
    double[] decoded = new double[4];
    coder.decode(offsets, 0, a, 0, decoded, 0);
    assertThat(decoded).containsExactly(b, within(TOLERANCE));
  }

  @Property(tries = 2000)
  void encodeUndoesDecode(
      @ForAll BoxFormat format,
      @ForAll("variances") double[] variances,
      @ForAll("corners") double[] anchor,
      @ForAll("offsets") double[] offsets) {
    BoxCoder coder = new BoxCoder(format, variances);
    double[] a = Boxes.convert(anchor, BoxFormat.CORNERS, format, BorderPixels.HALF);
    double[] box = new double[4];
    coder.decode(offsets, 0, a, 0, box, 0);
    double[] encoded = new double[4];
    coder.encode(box, 0, a, 0, encoded, 0);
    assertThat(encoded).containsExactly(offsets, within(TOLERANCE));
  }

  @Test
  void worksAtOffsetsAndInPlace() {
    BoxCoder coder = new BoxCoder(BoxFormat.CENTROIDS, new double[] {0.1, 0.1, 0.2, 0.2});
    double[] anchors = {9, 9, 9, 9, 50, 60, 20, 40};
    double[] boxes = {0, 55, 70, 10, 80};
    double[] out = new double[6];
    coder.encode(boxes, 1, anchors, 4, out, 2);
    assertThat(out[0]).isZero();
    assertThat(out[1]).isZero();
    assertThat(out[2]).isCloseTo((55 - 50) / (20 * 0.1), within(1e-12));
    assertThat(out[3]).isCloseTo((70 - 60) / (40 * 0.1), within(1e-12));
    assertThat(out[4]).isCloseTo(Math.log(10.0 / 20) / 0.2, within(1e-12));
    assertThat(out[5]).isCloseTo(Math.log(80.0 / 40) / 0.2, within(1e-12));
    coder.decode(out, 2, anchors, 4, out, 2);
    assertThat(new double[] {out[2], out[3], out[4], out[5]})
        .containsExactly(new double[] {55, 70, 10, 80}, within(1e-12));
  }

  @Test
  void variancesAreValidated() {
    assertThatThrownBy(() -> new BoxCoder(BoxFormat.CORNERS, new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("variances must hold 4 numbers, but has length 3");
    assertThatThrownBy(() -> new BoxCoder(BoxFormat.CORNERS, new double[] {0.1, 0, 0.2, 0.2}))
        .hasMessage("variances[1] must be positive and finite, got 0.0");
    assertThatThrownBy(
            () ->
                new BoxCoder(
                    BoxFormat.CORNERS, new double[] {0.1, 0.1, Double.POSITIVE_INFINITY, 0.2}))
        .hasMessage("variances[2] must be positive and finite, got Infinity");
    assertThatThrownBy(
            () -> new BoxCoder(BoxFormat.CORNERS, new double[] {Double.NaN, 0.1, 0.2, 0.2}))
        .hasMessage("variances[0] must be positive and finite, got NaN");
    assertThatThrownBy(() -> new BoxCoder(null, new double[] {0.1, 0.1, 0.2, 0.2}))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("format");
    double[] v = {0.1, 0.2, 0.3, 0.4};
    BoxCoder coder = new BoxCoder(BoxFormat.MINMAX, v);
    v[0] = 9;
    assertThat(coder.variances()).containsExactly(0.1, 0.2, 0.3, 0.4);
    assertThat(coder.format()).isEqualTo(BoxFormat.MINMAX);
  }

  /** The reference's SSD variances, all ones (SSD7), and arbitrary positive ones. */
  @Provide
  Arbitrary<double[]> variances() {
    Arbitrary<Double> v = Arbitraries.doubles().between(0.05, 2);
    return Arbitraries.oneOf(
        Arbitraries.just(new double[] {0.1, 0.1, 0.2, 0.2}),
        Arbitraries.just(new double[] {1, 1, 1, 1}),
        v.array(double[].class).ofSize(4));
  }

  /** A corner box of positive size, in normalised units or in pixels. */
  @Provide
  Arbitrary<double[]> corners() {
    Arbitrary<double[]> normalised = box(-0.2, 1.2, 0.01, 1.5);
    Arbitrary<double[]> pixels = box(-50, 1000, 1, 600);
    return Arbitraries.oneOf(normalised, pixels);
  }

  private static Arbitrary<double[]> box(double lo, double hi, double minSide, double maxSide) {
    Arbitrary<Double> at = Arbitraries.doubles().between(lo, hi);
    Arbitrary<Double> side = Arbitraries.doubles().between(minSide, maxSide);
    return Combinators.combine(at, at, side, side)
        .as((x, y, w, h) -> new double[] {x, y, x + w, y + h});
  }

  /** Offsets of the size a network predicts. */
  @Provide
  Arbitrary<double[]> offsets() {
    return Arbitraries.doubles().between(-4, 4).array(double[].class).ofSize(4);
  }
}
