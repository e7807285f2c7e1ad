package org.grievance.ssd.infer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.testing.TinyModels;
import org.junit.jupiter.api.Test;

/** The tiled path of {@link Detector} with a tiny (96x128) untrained model. */
class TiledDetectionTest {
  /** Low enough that the untrained network finds plenty; batches of four passes; one thread. */
  private static final DetectorOptions UNTILED =
      DetectorOptions.builder().confidenceThreshold(0.05).topK(50).batchSize(4).threads(1).build();

  @Test
  void tiledDetectionMergesEveryTileAndTheWholeImageInImagePixels() {
    RgbImage image = TinyModels.image(250, 330, 3);
    Tiling tiling = Tiling.auto(0.2);
    try (Model model = TinyModels.model(21);
        Detector plain = Detector.of(model, TinyModels.DESCRIPTION, UNTILED);
        Detector tiled =
            Detector.of(
                model, TinyModels.DESCRIPTION, UNTILED.toBuilder().tiling(tiling).build())) {
      List<Tile> tiles = TilePlanner.plan(tiling, 250, 330, 96, 128);
      assertThat(tiles).hasSize(12);

      // By hand: each tile cut out and detected on its own, the whole image, moved and merged.
      List<Tile> passes = new ArrayList<>(tiles);
      passes.add(Tile.whole(250, 330));
      List<RgbImage> crops = new ArrayList<>();
      for (Tile t : passes) {
        crops.add(cut(image, t));
      }
      List<List<Detection>> each = plain.detect(crops);
      List<TileDetections> found = new ArrayList<>();
      for (int i = 0; i < passes.size(); i++) {
        Tile t = passes.get(i);
        List<Detection> moved = new ArrayList<>();
        for (Detection d : each.get(i)) {
          moved.add(
              new Detection(
                  d.classId(),
                  d.className(),
                  d.score(),
                  d.xmin() + t.x(),
                  d.ymin() + t.y(),
                  d.xmax() + t.x(),
                  d.ymax() + t.y()));
        }
        found.add(new TileDetections(t, moved));
      }
      List<Detection> expected = TileMerger.of(plain.decoderConfig()).merge(250, 330, found);

      List<Detection> got = tiled.detect(image);
      assertThat(got).isNotEmpty().isEqualTo(expected);
      assertThat(got).hasSizeLessThanOrEqualTo(50);
      assertThat(plain.detect(image, tiling)).as("tiling per call").isEqualTo(got);
      assertThat(tiled.detect(List.of(image, image))).containsExactly(got, got);
      assertThat(got).as("differs from the whole image alone").isNotEqualTo(plain.detect(image));
      // Boxes are in the image's pixels: the tiles right of and below the first one contribute.
      Tile first = tiles.get(0);
      assertThat(got).anySatisfy(d -> assertThat(d.xmin()).isGreaterThan(first.width()));
      assertThat(got).anySatisfy(d -> assertThat(d.ymin()).isGreaterThan(first.height()));
    }
  }

  @Test
  void autoTilingOfAnImageNoLargerThanTheInputIsThePlainDetection() {
    RgbImage small = TinyModels.image(90, 120, 4);
    try (Model model = TinyModels.model(22);
        Detector plain = Detector.of(model, TinyModels.DESCRIPTION, UNTILED)) {
      List<Detection> alone = plain.detect(small);
      assertThat(alone).isNotEmpty();
      assertThat(plain.detect(small, Tiling.auto(0.2))).isEqualTo(alone);
      assertThat(plain.detect(small, null)).isEqualTo(alone);
    }
  }

  /** The tile's pixels, copied row by row. */
  private static RgbImage cut(RgbImage image, Tile t) {
    byte[] px = new byte[t.height() * t.width() * 3];
    for (int y = 0; y < t.height(); y++) {
      System.arraycopy(
          image.data(),
          ((t.y() + y) * image.width() + t.x()) * 3,
          px,
          y * t.width() * 3,
          t.width() * 3);
    }
    return new RgbImage(t.height(), t.width(), px);
  }
}
