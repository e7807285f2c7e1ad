package org.grievance.ssd.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class NumericsTest {
  @Property(tries = 200)
  void stableOrderEqualsAStableLibrarySort(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 20) Integer> raw) {
    double[] keys = raw.stream().mapToDouble(i -> i / 4.0).toArray();
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < keys.length; i++) {
      expected.add(i);
    }
    expected.sort(Comparator.comparingDouble((Integer i) -> -keys[i])); // List.sort is stable
    int[] got = StableOrder.descending(keys, keys.length);
    assertThat(got).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
  }

  @Property(tries = 200)
  void pairwiseSumIsCloseToTheExactSum(
      @ForAll @Size(max = 20000) List<@IntRange(min = 0, max = 1000) Integer> raw) {
    double[] v = raw.stream().mapToDouble(i -> i * 0.001).toArray();
    java.math.BigDecimal exact = java.math.BigDecimal.ZERO;
    for (double x : v) {
      exact = exact.add(new java.math.BigDecimal(x));
    }
    assertThat(NumpySum.sum(v, v.length))
        .isCloseTo(exact.doubleValue(), org.assertj.core.api.Assertions.within(1e-9));
  }

  @Property(tries = 50)
  void pairwiseSumOfSmallIntegersIsExact(
      @ForAll @Size(max = 20000) List<@IntRange(min = 0, max = 9) Integer> raw) {
    double[] v = raw.stream().mapToDouble(Integer::doubleValue).toArray();
    assertThat(NumpySum.sum(v, v.length)).isEqualTo(raw.stream().mapToInt(Integer::intValue).sum());
  }
}
