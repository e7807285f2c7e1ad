package org.grievance.ssd.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TilingTest {
  @Test
  void parsesAutoAndGridsIgnoringCaseAndSpaces() {
    assertThat(Tiling.parse("auto", 0.2)).isEqualTo(Tiling.auto(0.2));
    assertThat(Tiling.parse(" AUTO ", 0.3).overlap()).isEqualTo(0.3);
    Tiling grid = Tiling.parse(" 3X4 ", 0.1);
    assertThat(grid.auto()).isFalse();
    assertThat(grid.rows()).isEqualTo(3);
    assertThat(grid.columns()).isEqualTo(4);
    assertThat(grid.overlap()).isEqualTo(0.1);
  }

  @Test
  void gridTextParsesBackToTheSameTiling() {
    for (Tiling t : new Tiling[] {Tiling.auto(0.2), Tiling.grid(1, 5, 0.2), Tiling.grid(7, 2, 0)}) {
      assertThat(Tiling.parse(t.gridText(), t.overlap())).isEqualTo(t);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''      | got nothing",
        "3       | got '3'",
        "3x4x5   | got '3x4x5'",
        "ax4     | rows must be a whole number, got 'a'",
        "3x      | columns must be a whole number, got ''",
        "3x-1    | tile columns must be in [1, 64], got -1",
        "0x4     | tile rows must be in [1, 64], got 0",
        "65x2    | tile rows must be in [1, 64], got 65",
        "1x1     | a 1x1 grid is the whole image",
        "automatic | got 'automatic'"
      })
  void badTextIsRefusedWithWhatWasWrong(String text, String message) {
    assertThatThrownBy(() -> Tiling.parse(text, 0.2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource({"-0.01", "0.9", "1", "NaN"})
  void overlapOutsideZeroToNinetyPercentIsRefused(double overlap) {
    assertThatThrownBy(() -> Tiling.auto(overlap))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tile overlap must be in [0, 0.9), got " + overlap);
    assertThatThrownBy(() -> Tiling.grid(2, 2, overlap))
        .hasMessageContaining("tile overlap must be in [0, 0.9)");
  }

  @Test
  void autoHasNoRowsOrColumns() {
    assertThatThrownBy(() -> new Tiling(true, 2, 2, 0.2))
        .hasMessageContaining("automatic tiling has no rows or columns, got 2x2");
  }

  @Test
  void toStringNamesGridAndOverlap() {
    assertThat(Tiling.grid(3, 4, 0.25)).hasToString("3x4 (overlap 0.25)");
    assertThat(Tiling.auto(0.2)).hasToString("auto (overlap 0.20)");
  }
}
