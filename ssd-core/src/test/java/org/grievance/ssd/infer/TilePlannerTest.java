package org.grievance.ssd.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TilePlannerTest {
  @ParameterizedTest
  @CsvSource({
    "144, 192", // exactly the input
    "100, 192",
    "144, 150",
    "10, 10"
  })
  void autoDoesNotTileAnImageNoLargerThanTheInput(int height, int width) {
    assertThat(TilePlanner.plan(Tiling.auto(0.2), height, width, 144, 192)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "1512, 2016, 0.2",
    "3024, 4032, 0.2",
    "3024, 4032, 0",
    "300, 193, 0.5",
    "145, 1000, 0.3",
    "1001, 333, 0.75"
  })
  void autoTilesAreAboutTheInputSizeAndCoverTheImageWithTheOverlap(
      int height, int width, double overlap) {
    Tiling tiling = Tiling.auto(overlap);
    List<Tile> tiles = TilePlanner.plan(tiling, height, width, 144, 192);

    assertThat(tiles).isNotEmpty();
    Tile first = tiles.get(0);
    // Never larger than the input (no object shrinks), and not much smaller: one tile fewer along
    // a tiled side would need tiles larger than the input.
    for (Tile t : tiles) {
      assertThat(t.height()).isLessThanOrEqualTo(144).isEqualTo(first.height());
      assertThat(t.width()).isLessThanOrEqualTo(192).isEqualTo(first.width());
    }
    assertCovers(tiles, height, width, overlap);
    int rows = distinct(tiles, true).size();
    int columns = distinct(tiles, false).size();
    if (height > 144) {
      assertThat(coverable(height, rows - 1, overlap, 144)).as("one row fewer").isFalse();
    } else {
      assertThat(rows).isEqualTo(1);
    }
    if (width > 192) {
      assertThat(coverable(width, columns - 1, overlap, 192)).as("one column fewer").isFalse();
    } else {
      assertThat(columns).isEqualTo(1);
    }
  }

  @Test
  void theQuickstartModelTilesAPhoneSizedSyntheticImageThirteenByThirteen() {
    // 1512 / 144 = 2016 / 192 = 10.5 input sizes; with 20 % overlap each tile adds 0.8 of a tile.
    List<Tile> tiles = TilePlanner.plan(Tiling.auto(0.2), 1512, 2016, 144, 192);
    assertThat(distinct(tiles, true)).hasSize(13);
    assertThat(distinct(tiles, false)).hasSize(13);
  }

  @Test
  void aGridIsRowMajorFromTheTopLeftWithTheLastTileFlushWithTheFarEdges() {
    List<Tile> tiles = TilePlanner.plan(Tiling.grid(3, 4, 0.2), 300, 400, 144, 192);

    assertThat(tiles).hasSize(12);
    assertThat(tiles.get(0).x()).isZero();
    assertThat(tiles.get(0).y()).isZero();
    assertThat(tiles.get(1).y()).isZero();
    assertThat(tiles.get(1).x()).isPositive();
    assertThat(tiles.get(4).x()).isZero();
    assertThat(tiles.get(4).y()).isPositive();
    Tile last = tiles.get(11);
    assertThat(last.right()).isEqualTo(400);
    assertThat(last.bottom()).isEqualTo(300);
    assertCovers(tiles, 300, 400, 0.2);
    // Smallest tiles that cover the side: 300 / (1 + 2 * 0.8) = 115.4, 400 / (1 + 3 * 0.8) = 117.6.
    assertThat(last.height()).isEqualTo(116);
    assertThat(last.width()).isEqualTo(118);
  }

  @Test
  void withoutOverlapTilesAbut() {
    List<Tile> tiles = TilePlanner.plan(Tiling.grid(3, 2, 0), 300, 400, 144, 192);
    assertThat(distinct(tiles, true)).containsExactly(0, 100, 200);
    assertThat(distinct(tiles, false)).containsExactly(0, 200);
    assertThat(tiles).allSatisfy(t -> assertThat(t.height()).isEqualTo(100));
    assertThat(tiles).allSatisfy(t -> assertThat(t.width()).isEqualTo(200));
  }

  @Test
  void aGridIsHonouredEvenOnASmallImageButKeepsTilesAtLeastTheMinimumSide() {
    // Smaller than the model input, yet 2x2 was asked for.
    assertThat(TilePlanner.plan(Tiling.grid(2, 2, 0.2), 100, 120, 144, 192)).hasSize(4);

    // 40 rows cannot hold 5 tiles of 32: one row; 200 columns hold 6, 5 were asked for.
    List<Tile> tiles = TilePlanner.plan(Tiling.grid(5, 5, 0.2), 40, 200, 144, 192);
    assertThat(distinct(tiles, true)).containsExactly(0);
    assertThat(distinct(tiles, false)).hasSize(5);
    assertThat(tiles).allSatisfy(t -> assertThat(t.height()).isEqualTo(40));

    assertThat(TilePlanner.plan(Tiling.grid(4, 4, 0.2), 40, 40, 144, 192)).isEmpty();
  }

  @Test
  void sizesMustBePositive() {
    assertThatThrownBy(() -> TilePlanner.plan(Tiling.auto(0.2), 0, 100, 144, 192))
        .hasMessageContaining("image size must be positive, got 0x100 (HxW)");
    assertThatThrownBy(() -> TilePlanner.plan(Tiling.auto(0.2), 100, 100, 144, -1))
        .hasMessageContaining("model input size must be positive, got 144x-1 (HxW)");
  }

  /**
   * Along each side: the first tile starts at 0, the last ends at the far edge, and neighbours
   * share at least the overlap (less one pixel of rounding) — so no pixel is missed.
   */
  private static void assertCovers(List<Tile> tiles, int height, int width, double overlap) {
    assertSide(distinct(tiles, true), tiles.get(0).height(), height, overlap);
    assertSide(distinct(tiles, false), tiles.get(0).width(), width, overlap);
    int perSide = distinct(tiles, true).size() * distinct(tiles, false).size();
    assertThat(tiles).as("a full grid").hasSize(perSide);
  }

  private static void assertSide(List<Integer> starts, int size, int length, double overlap) {
    assertThat(starts.get(0)).isZero();
    assertThat(starts.get(starts.size() - 1) + size).isEqualTo(length);
    for (int i = 1; i < starts.size(); i++) {
      int shared = starts.get(i - 1) + size - starts.get(i);
      assertThat(shared)
          .as("overlap of tiles %d and %d", i - 1, i)
          .isGreaterThanOrEqualTo((int) Math.floor(overlap * size) - 1);
    }
  }

  /** Whether {@code n} tiles of at most {@code input} pixels with the overlap can cover a side. */
  private static boolean coverable(int length, int n, double overlap, int input) {
    return n >= 1 && input * (1 + (n - 1) * (1 - overlap)) >= length;
  }

  private static List<Integer> distinct(List<Tile> tiles, boolean rows) {
    TreeSet<Integer> starts = new TreeSet<>();
    tiles.forEach(t -> starts.add(rows ? t.y() : t.x()));
    return List.copyOf(starts);
  }
}
