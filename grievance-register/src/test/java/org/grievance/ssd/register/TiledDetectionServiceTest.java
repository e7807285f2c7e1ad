package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.infer.DetectorOptions;
import org.grievance.ssd.infer.Tiling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssd serve --tiles}: the service's detections come from the tiled detector. */
class TiledDetectionServiceTest {
  @TempDir Path tmp;

  @Test
  void aConfiguredTilingIsUsedForUploadsAndShownWithTheModel() throws IOException {
    Path model = TestModels.create(tmp.resolve("run"));
    Tiling tiling = Tiling.auto(0.25);
    RegisterConfig config =
        RegisterConfig.builder(model)
            .dataDir(tmp.resolve("data"))
            .workers(1)
            .tiling(tiling)
            .build();
    // Larger than the tiny model's 96x128 input, and lossless so both sides see the same pixels.
    RgbImage image = TestModels.blobs(240, 330, 5);
    Path png = tmp.resolve("photo.png");
    ImageFiles.writePng(image, png);
    ImageUpload upload =
        ImageUpload.check(Files.readAllBytes(png), 1_000_000, 1_000_000, tmp.resolve("scratch"));

    try (DetectionService service = DetectionService.load(config);
        Detector plain = Detector.load(model, DetectorOptions.builder().threads(1).build())) {
      assertThat(service.info().decoder())
          .containsEntry("tiles", "auto")
          .containsEntry("tileOverlap", 0.25);
      DetectionService.Result result =
          service.detect(
              upload,
              DetectionService.Output.DETECTIONS,
              new MemoryBudget(1L << 30, java.time.Duration.ofSeconds(1)).empty());
      assertThat(result.detections())
          .isNotEmpty()
          .isEqualTo(plain.detect(image, tiling))
          .isNotEqualTo(plain.detect(image));
    }
  }

  @Test
  void withoutTilesTheModelSaysOff() throws IOException {
    Path model = TestModels.create(tmp.resolve("run"));
    RegisterConfig config = RegisterConfig.builder(model).dataDir(tmp.resolve("data")).build();
    try (DetectionService service = DetectionService.load(config)) {
      assertThat(service.info().decoder()).containsEntry("tiles", "off");
    }
  }
}
