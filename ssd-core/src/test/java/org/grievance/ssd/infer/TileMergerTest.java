package org.grievance.ssd.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.BoxFormat;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.decode.GreedyNms;
import org.junit.jupiter.api.Test;

class TileMergerTest {
  private static final double NMS_IOU = 0.45;
  private static final TileMerger MERGER = new TileMerger(NMS_IOU, BorderPixels.HALF, 200);

  // A 100x200 (HxW) image cut into a left and a right tile sharing columns 80..120.
  private static final int H = 100;
  private static final int W = 200;
  private static final Tile LEFT = new Tile(0, 0, 120, H);
  private static final Tile RIGHT = new Tile(80, 0, 120, H);
  private static final Tile WHOLE = Tile.whole(H, W);

  @Test
  void aBoxCutByATileEdgeIsReportedOnce() {
    // The object spans columns 40..100: whole in the left tile; the right tile, which starts at
    // column 80, sees only its last third and boxes that.
    Detection whole = pothole(0.8, 40, 30, 100, 70);
    Detection piece = pothole(0.9, 80, 30, 100, 70);
    // NMS alone keeps both: a third of the object overlaps the whole of it by IoU 1/3.
    int[] nmsAlone =
        GreedyNms.select(
            new double[] {40, 30, 100, 70, 80, 30, 100, 70},
            BoxFormat.CORNERS,
            new double[] {0.8, 0.9},
            NMS_IOU,
            BorderPixels.HALF);
    assertThat(nmsAlone).hasSize(2);

    List<Detection> merged =
        MERGER.merge(
            H,
            W,
            List.of(
                new TileDetections(LEFT, List.of(whole)),
                new TileDetections(RIGHT, List.of(piece)),
                new TileDetections(WHOLE, List.of())));

    assertThat(merged).hasSize(1);
    Detection only = merged.get(0);
    assertThat(box(only)).containsExactly(40, 30, 100, 70);
    assertThat(only.score()).as("the piece's evidence counts for the whole box").isEqualTo(0.9);
  }

  @Test
  void piecesInFourTilesJoinTheFullImageBox() {
    // A 2x2 grid of 60x120 tiles overlapping by 20 rows and 40 columns; a large object across
    // the centre is cut in all four and found whole only by the full-image pass.
    Tile tl = new Tile(0, 0, 120, 60);
    Tile tr = new Tile(80, 0, 120, 60);
    Tile bl = new Tile(0, 40, 120, 60);
    Tile br = new Tile(80, 40, 120, 60);
    List<Detection> merged =
        MERGER.merge(
            H,
            W,
            List.of(
                new TileDetections(tl, List.of(pothole(0.7, 50, 20, 120, 60))),
                new TileDetections(tr, List.of(pothole(0.6, 80, 20, 150, 60))),
                new TileDetections(bl, List.of(pothole(0.5, 50, 40, 120, 80))),
                new TileDetections(br, List.of(pothole(0.4, 80, 40, 150, 80))),
                new TileDetections(WHOLE, List.of(pothole(0.3, 50, 20, 150, 80)))));

    assertThat(merged).hasSize(1);
    assertThat(box(merged.get(0))).containsExactly(50, 20, 150, 80);
    assertThat(merged.get(0).score()).isEqualTo(0.7);
  }

  @Test
  void theSameObjectFoundWholeByTwoTilesIsReportedOnce() {
    // Columns 86..115 lie inside both tiles' shared band (80..120) and clear of their edges: both
    // tiles report the object whole, NMS keeps the better box.
    Detection fromLeft = pothole(0.6, 86, 40, 112, 60);
    Detection fromRight = pothole(0.7, 90, 41, 115, 61);
    assertThat(TileMerger.isCut(fromLeft, LEFT, H, W)).isFalse();
    assertThat(TileMerger.isCut(fromRight, RIGHT, H, W)).isFalse();
    List<Detection> merged =
        MERGER.merge(
            H,
            W,
            List.of(
                new TileDetections(LEFT, List.of(fromLeft)),
                new TileDetections(RIGHT, List.of(fromRight)),
                new TileDetections(WHOLE, List.of())));

    assertThat(merged).containsExactly(fromRight);
  }

  @Test
  void aLargeVagueBoxDoesNotSwallowAConfidentPieceItMerelyCovers() {
    // The full-image pass reports one low-scoring box over most of the image; the right tile's
    // cut piece lies inside it, but the big box seen through the right tile (80..200) is no piece.
    Detection vague = pothole(0.05, 0, 0, 200, 100);
    Detection piece = pothole(0.9, 80, 30, 100, 70);
    List<Detection> merged =
        MERGER.merge(
            H,
            W,
            List.of(
                new TileDetections(LEFT, List.of()),
                new TileDetections(RIGHT, List.of(piece)),
                new TileDetections(WHOLE, List.of(vague))));

    assertThat(merged).containsExactly(piece, vague);
  }

  @Test
  void aPieceOfAnotherClassIsKept() {
    Detection whole = pothole(0.8, 40, 30, 100, 70);
    Detection other = new Detection(2, "garbage", 0.9, 80, 30, 100, 70);
    List<Detection> merged =
        MERGER.merge(
            H,
            W,
            List.of(
                new TileDetections(LEFT, List.of(whole)),
                new TileDetections(RIGHT, List.of(other))));

    assertThat(merged).containsExactly(other, whole);
  }

  @Test
  void aBoxAtTheImageBorderIsNotCut() {
    // The left tile's left side is the image's border, not a tile edge: a small box there that
    // looks like the left part of a larger box from the full-image pass is its own object.
    Detection atBorder = pothole(0.9, 0, 30, 20, 70);
    Detection larger = pothole(0.5, 0, 30, 25, 70);
    assertThat(TileMerger.isCut(atBorder, LEFT, H, W)).isFalse();
    assertThat(TileMerger.isCut(pothole(0.9, 60, 30, 117, 70), LEFT, H, W)).isTrue();
    assertThat(TileMerger.isCut(pothole(0.9, 60, 30, 110, 70), LEFT, H, W)).isFalse();
    assertThat(TileMerger.isCut(pothole(0.9, 83, 30, 110, 70), RIGHT, H, W)).isTrue();
    assertThat(TileMerger.isCut(pothole(0.9, 10, 10, 190, 90), WHOLE, H, W)).isFalse();

    List<Detection> merged =
        new TileMerger(0.9, BorderPixels.HALF, 200)
            .merge(
                H,
                W,
                List.of(
                    new TileDetections(LEFT, List.of(atBorder)),
                    new TileDetections(WHOLE, List.of(larger))));
    assertThat(merged).containsExactly(atBorder, larger);
  }

  @Test
  void keepsTheTopKBestAcrossTilesInScoreOrder() {
    TileMerger topTwo = new TileMerger(NMS_IOU, BorderPixels.HALF, 2);
    List<Detection> merged =
        topTwo.merge(
            H,
            W,
            List.of(
                new TileDetections(LEFT, List.of(pothole(0.3, 10, 10, 30, 30))),
                new TileDetections(
                    RIGHT, List.of(pothole(0.6, 150, 10, 170, 30), pothole(0.4, 150, 60, 170, 80))),
                new TileDetections(WHOLE, List.of(pothole(0.5, 10, 60, 30, 80)))));

    assertThat(merged).extracting(Detection::score).containsExactly(0.6, 0.5);
  }

  @Test
  void validatesItsSettings() {
    assertThatThrownBy(() -> new TileMerger(1.5, BorderPixels.HALF, 10))
        .hasMessageContaining("iouThreshold must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> new TileMerger(0.45, BorderPixels.HALF, 0))
        .hasMessageContaining("topK must be >= 1, got 0");
    assertThatThrownBy(() -> MERGER.merge(0, 10, List.of()))
        .hasMessageContaining("image size must be positive, got 0x10 (HxW)");
  }

  @Test
  void movesTileDetectionsIntoTheImageFrame() {
    TileDetections moved =
        TileDetections.fromTileFrame(new Tile(80, 40, 120, 60), List.of(pothole(0.5, 1, 2, 3, 4)));
    assertThat(box(moved.detections().get(0))).containsExactly(81, 42, 83, 44);
  }

  private static Detection pothole(double score, double x0, double y0, double x1, double y1) {
    return new Detection(1, "pothole", score, x0, y0, x1, y1);
  }

  private static double[] box(Detection d) {
    return new double[] {d.xmin(), d.ymin(), d.xmax(), d.ymax()};
  }
}
