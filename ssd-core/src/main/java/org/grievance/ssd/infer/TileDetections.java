package org.grievance.ssd.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.grievance.ssd.decode.Detection;

/**
 * The detections of one pass of a tiled detection: a tile, or the whole image ({@link Tile#whole}),
 * with boxes in the <em>image's</em> pixels.
 *
 * @param tile the part of the image the pass saw
 * @param detections boxes in image pixels
 */
public record TileDetections(Tile tile, List<Detection> detections) {
  public TileDetections {
    Objects.requireNonNull(tile, "tile");
    detections = List.copyOf(Objects.requireNonNull(detections, "detections"));
  }

  /** Detections made in the tile's own frame, moved by the tile's corner into the image's frame. */
  public static TileDetections fromTileFrame(Tile tile, List<Detection> inTile) {
    List<Detection> moved = new ArrayList<>(inTile.size());
    for (Detection d : inTile) {
      moved.add(
          new Detection(
              d.classId(),
              d.className(),
              d.score(),
              d.xmin() + tile.x(),
              d.ymin() + tile.y(),
              d.xmax() + tile.x(),
              d.ymax() + tile.y()));
    }
    return new TileDetections(tile, moved);
  }
}
