package org.grievance.ssd.box;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.assertj.core.data.Offset;

class BoxesPropertiesTest {
  private static final Offset<Double> EPS = Offset.offset(1e-9);

  @Property
  void cornersCentroidsRoundTripWithHalf(@ForAll("corners") double[] box) {
    double[] c = Boxes.convert(box, BoxFormat.CORNERS, BoxFormat.CENTROIDS, BorderPixels.HALF);
    double[] back = Boxes.convert(c, BoxFormat.CENTROIDS, BoxFormat.CORNERS, BorderPixels.HALF);
    for (int i = 0; i < 4; i++) {
      assertThat(back[i]).isCloseTo(box[i], EPS);
    }
  }

  @Property
  void minmaxRoundTripsThroughEveryFormatWithHalf(@ForAll("corners") double[] box) {
    double[] mm = Boxes.convert(box, BoxFormat.CORNERS, BoxFormat.MINMAX, BorderPixels.HALF);
    assertThat(Boxes.convert(mm, BoxFormat.MINMAX, BoxFormat.CORNERS, BorderPixels.HALF))
        .containsExactly(box);
    double[] c = Boxes.convert(mm, BoxFormat.MINMAX, BoxFormat.CENTROIDS, BorderPixels.HALF);
    double[] back = Boxes.convert(c, BoxFormat.CENTROIDS, BoxFormat.MINMAX, BorderPixels.HALF);
    for (int i = 0; i < 4; i++) {
      assertThat(back[i]).isCloseTo(mm[i], EPS);
    }
  }

  @Property
  void iouIsSymmetricAndInUnitInterval(
      @ForAll("corners") double[] a, @ForAll("corners") double[] b, @ForAll BorderPixels border) {
    double ab = Boxes.iouMatrix(a, b, BoxFormat.CORNERS, border)[0];
    double ba = Boxes.iouMatrix(b, a, BoxFormat.CORNERS, border)[0];
    assertThat(ab).isEqualTo(ba);
    assertThat(ab).isBetween(0.0, 1.0);
  }

  @Property
  void iouOfABoxWithItselfIsOne(@ForAll("corners") double[] a, @ForAll BorderPixels border) {
    assertThat(Boxes.iouMatrix(a, a, BoxFormat.CORNERS, border)[0]).isCloseTo(1.0, EPS);
  }

  @Property
  void matrixAndElementwiseAgree(
      @ForAll("manyCorners") double[] a,
      @ForAll("manyCorners") double[] b,
      @ForAll BoxFormat format,
      @ForAll BorderPixels border) {
    double[] fa = Boxes.convert(a, BoxFormat.CORNERS, format, BorderPixels.HALF);
    double[] fb = Boxes.convert(b, BoxFormat.CORNERS, format, BorderPixels.HALF);
    int m = a.length / 4;
    int n = b.length / 4;
    double[] matrix = Boxes.iouMatrix(fa, fb, format, border);
    for (int j = 0; j < n; j++) {
      double[] single = java.util.Arrays.copyOfRange(fb, 4 * j, 4 * j + 4);
      double[] column = Boxes.iouElementwise(fa, single, format, border);
      for (int i = 0; i < m; i++) {
        assertThat(column[i]).isEqualTo(matrix[i * n + j]);
      }
    }
    if (m == n) {
      double[] diag = Boxes.iouElementwise(fa, fb, format, border);
      for (int i = 0; i < m; i++) {
        assertThat(diag[i]).isEqualTo(matrix[i * n + i]);
      }
    }
  }

  /**
   * Boxes at least 2 wide and high, so that every border convention gives them a positive size
   * (with {@code exclude}, a box under 1 pixel wide has a negative area: outside the domain).
   */
  @Provide
  Arbitrary<double[]> corners() {
    Arbitrary<Double> pos = Arbitraries.doubles().between(-200, 200);
    Arbitrary<Double> size = Arbitraries.doubles().between(2, 150);
    return Combinators.combine(pos, pos, size, size)
        .as((x, y, w, h) -> new double[] {x, y, x + w, y + h});
  }

  @Provide
  Arbitrary<double[]> manyCorners() {
    return corners()
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .map(
            list -> {
              double[] out = new double[4 * list.size()];
              for (int i = 0; i < list.size(); i++) {
                System.arraycopy(list.get(i), 0, out, 4 * i, 4);
              }
              return out;
            });
  }
}
