package org.grievance.ssd.infer;

import java.util.Locale;

/**
 * How a large image is cut into overlapping tiles for detection ({@link TilePlanner}): either
 * {@code auto} (tiles of about the model's input size, none when the image is not larger than the
 * input) or a fixed grid of {@code rows × columns}. The detector always adds one pass over the
 * whole image, so objects larger than a tile are still found.
 *
 * @param auto whether the grid follows from the image and input sizes; then {@code rows} and {@code
 *     columns} are 0
 * @param rows tiles from top to bottom, {@code 1..MAX_TILES_PER_SIDE} (0 when auto)
 * @param columns tiles from left to right, {@code 1..MAX_TILES_PER_SIDE} (0 when auto)
 * @param overlap fraction of a tile's side shared with its neighbour, in {@code [0, 0.9)}; an
 *     object no larger than this share of a tile lies whole inside at least one tile
 */
public record Tiling(boolean auto, int rows, int columns, double overlap) {
  /**
   * The overlap unless one is given: objects up to a fifth of a tile are never cut in every tile.
   */
  public static final double DEFAULT_OVERLAP = 0.2;

  /** Upper bound of the overlap (exclusive): beyond it the tile count grows without bound. */
  public static final double MAX_OVERLAP = 0.9;

  /** Most tiles along one side of a fixed grid; more is a typing error rather than a plan. */
  public static final int MAX_TILES_PER_SIDE = 64;

  /** Validates every field with a message naming it. */
  public Tiling {
    if (!(overlap >= 0 && overlap < MAX_OVERLAP)) {
      throw new IllegalArgumentException(
          "tile overlap must be in [0, " + MAX_OVERLAP + "), got " + overlap);
    }
    if (auto) {
      if (rows != 0 || columns != 0) {
        throw new IllegalArgumentException(
            "automatic tiling has no rows or columns, got " + rows + "x" + columns);
      }
    } else {
      requireSide("rows", rows);
      requireSide("columns", columns);
      if (rows == 1 && columns == 1) {
        throw new IllegalArgumentException(
            "a 1x1 grid is the whole image, which is always detected; use at least two tiles");
      }
    }
  }

  private static void requireSide(String field, int value) {
    if (value < 1 || value > MAX_TILES_PER_SIDE) {
      throw new IllegalArgumentException(
          "tile " + field + " must be in [1, " + MAX_TILES_PER_SIDE + "], got " + value);
    }
  }

  /** Tiles of about the model's input size. */
  public static Tiling auto(double overlap) {
    return new Tiling(true, 0, 0, overlap);
  }

  /** A fixed grid of {@code rows × columns} tiles. */
  public static Tiling grid(int rows, int columns, double overlap) {
    return new Tiling(false, rows, columns, overlap);
  }

  /**
   * Parses {@code auto} or {@code RxC} (rows first, e.g. {@code 3x4}; case and surrounding spaces
   * ignored).
   *
   * @throws IllegalArgumentException naming the text and what was expected
   */
  public static Tiling parse(String text, double overlap) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("tiles must be 'auto' or RxC (e.g. 3x4), got nothing");
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("auto")) {
      return auto(overlap);
    }
    String[] parts = t.split("x", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException(
          "tiles must be 'auto' or RxC (rows x columns, e.g. 3x4), got '" + text + "'");
    }
    int rows = side(parts[0], "rows", text);
    int columns = side(parts[1], "columns", text);
    return grid(rows, columns, overlap);
  }

  private static int side(String part, String field, String text) {
    try {
      return Integer.parseInt(part.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "tiles '" + text + "': " + field + " must be a whole number, got '" + part.trim() + "'");
    }
  }

  /** {@code auto} or {@code RxC}, as {@link #parse} reads it (the overlap is not included). */
  public String gridText() {
    return auto ? "auto" : rows + "x" + columns;
  }

  @Override
  public String toString() {
    return gridText() + String.format(Locale.ROOT, " (overlap %.2f)", overlap);
  }
}
