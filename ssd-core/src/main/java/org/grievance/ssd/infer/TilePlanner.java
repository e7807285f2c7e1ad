package org.grievance.ssd.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cuts an image into the overlapping tiles of a {@link Tiling}: a pure function of the image size,
 * the model's input size and the tiling.
 *
 * <p>Along each side, {@code n} tiles of {@code t} pixels with overlap {@code o} cover {@code L}
 * pixels when {@code t + (n − 1)·t·(1 − o) >= L}; the planner takes the smallest such {@code t},
 * puts the first tile at 0 and the last flush with the far edge, and spreads the others evenly.
 * Neighbours therefore share at least {@code o·t} pixels (less one for rounding), and the tiles of
 * a side cover it without gaps.
 *
 * <p>{@code auto} picks the smallest {@code n} whose tiles are no larger than the model's input on
 * that side, so a tile reaches the network at (or slightly above) its own scale: small objects keep
 * their pixels instead of shrinking with the whole photo. An image not larger than the input on
 * either side gets no tiles. A fixed grid is honoured, except that a side gets fewer tiles when
 * they would be shorter than {@link #MIN_TILE_SIDE} pixels.
 */
public final class TilePlanner {
  /** Shortest tile side a fixed grid may produce; shorter tiles hold nothing worth a pass. */
  public static final int MIN_TILE_SIDE = 32;

  private TilePlanner() {}

  /**
   * The tiles, row by row from the top left; empty when the image needs no tiling (the whole-image
   * pass, which the detector always runs, is not among them).
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public static List<Tile> plan(
      Tiling tiling, int imageHeight, int imageWidth, int inputHeight, int inputWidth) {
    Objects.requireNonNull(tiling, "tiling");
    requirePositive("image", imageHeight, imageWidth);
    requirePositive("model input", inputHeight, inputWidth);
    int rows;
    int columns;
    if (tiling.auto()) {
      rows = autoCount(imageHeight, inputHeight, tiling.overlap());
      columns = autoCount(imageWidth, inputWidth, tiling.overlap());
    } else {
      rows = fitCount(tiling.rows(), imageHeight);
      columns = fitCount(tiling.columns(), imageWidth);
    }
    if (rows == 1 && columns == 1) {
      return List.of();
    }
    int[] ys = starts(imageHeight, rows, tiling.overlap());
    int[] xs = starts(imageWidth, columns, tiling.overlap());
    int tileHeight = ys[rows];
    int tileWidth = xs[columns];
    List<Tile> tiles = new ArrayList<>(rows * columns);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        tiles.add(new Tile(xs[c], ys[r], tileWidth, tileHeight));
      }
    }
    return List.copyOf(tiles);
  }

  /** Fewest tiles along a side of {@code length} whose size is at most {@code input}. */
  static int autoCount(int length, int input, double overlap) {
    if (length <= input) {
      return 1;
    }
    // t = L / (1 + (n-1)(1-o)) <= input  <=>  n >= 1 + (L/input - 1) / (1 - o)
    double n = 1 + ((double) length / input - 1) / (1 - overlap);
    return (int) Math.ceil(n - 1e-9);
  }

  /** The requested count, reduced so that tiles are at least {@link #MIN_TILE_SIDE} long. */
  private static int fitCount(int requested, int length) {
    return Math.max(1, Math.min(requested, length / MIN_TILE_SIDE));
  }

  /**
   * The start of each of {@code n} tiles along a side of {@code length}, then the tile size: an
   * array of {@code n + 1} numbers.
   */
  static int[] starts(int length, int n, double overlap) {
    int[] out = new int[n + 1];
    if (n == 1) {
      out[1] = length;
      return out;
    }
    int size = (int) Math.ceil(length / (1 + (n - 1) * (1 - overlap)) - 1e-9);
    size = Math.min(length, Math.max(1, size));
    double stride = (double) (length - size) / (n - 1);
    for (int i = 0; i < n; i++) {
      out[i] = (int) Math.round(i * stride);
    }
    out[n] = size;
    return out;
  }

  private static void requirePositive(String what, int height, int width) {
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException(
          what + " size must be positive, got " + height + "x" + width + " (HxW)");
    }
  }
}
