package org.grievance.ssd.cli;

import org.grievance.ssd.infer.Tiling;
import picocli.CommandLine.Option;

/**
 * How the commands that run a model ask for tiled detection of large images: {@code --tiles
 * auto|RxC [--tile-overlap 0.2]}. Shared as a picocli mixin so predict, evaluate and serve read
 * them alike.
 */
public final class TilingOptions {
  @Option(
      names = "--tiles",
      paramLabel = "auto|RxC",
      description =
          "Also detect on overlapping tiles and merge them with the whole image: 'auto' (tiles of"
              + " about the model's input size; none for an image no larger than the input) or"
              + " a grid of R rows and C columns, e.g. 3x4. Default: the whole image only.")
  String tiles;

  @Option(
      names = "--tile-overlap",
      paramLabel = "F",
      description =
          "With --tiles: share of a tile's side that overlaps its neighbour, in [0, 0.9)"
              + " (default: 0.2).")
  Double overlap;

  /**
   * The tiling these options ask for, or {@code null} without {@code --tiles}.
   *
   * @throws IllegalArgumentException naming the option that is wrong
   */
  public Tiling tiling() {
    if (tiles == null) {
      if (overlap != null) {
        throw new IllegalArgumentException("--tile-overlap needs --tiles");
      }
      return null;
    }
    double o = overlap == null ? Tiling.DEFAULT_OVERLAP : overlap;
    try {
      Tiling.auto(o);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--tile-overlap: " + e.getMessage(), e);
    }
    try {
      return Tiling.parse(tiles, o);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--tiles: " + e.getMessage(), e);
    }
  }
}
