package org.grievance.ssd.register;

import ai.djl.Model;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.grievance.ssd.decode.DecoderKind;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.spec.DecoderDefaults;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.train.Checkpoints;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.train.TrainingState;

/**
 * A randomly initialised 96x128 SSD7 run directory for the service tests. Its decoder keeps every
 * box (confidence 0, top 20), so every image yields detections of both classes and the tagging path
 * is exercised without a trained model.
 */
final class TestModels {
  static final List<String> CLASSES = List.of("pothole", "graffiti");

  private TestModels() {}

  static Path create(Path runDir) throws IOException {
    ModelDescription description =
        ModelDescription.ssd7(96, 128, CLASSES)
            .withDecoder(new DecoderDefaults(DecoderKind.PER_CLASS, 0.0, 0.45, 20));
    Engine.getInstance().setRandomSeed(7);
    try (Model model = Model.newInstance("tiny")) {
      model.setBlock(SsdModels.create(model.getNDManager(), description));
      TrainingState state =
          new TrainingState(
              TrainingState.FORMAT_VERSION,
              1,
              1,
              1,
              1e-3,
              1,
              null,
              null,
              "loss",
              1,
              1,
              1,
              1,
              1,
              TrainConfig.builder().epochs(1).build());
      Checkpoints.write(runDir, Checkpoints.BEST, model, state, description.toJson());
    }
    return runDir;
  }

  /** A JPEG of coloured blobs. */
  static byte[] jpeg(int height, int width, long seed) throws IOException {
    return ImageFiles.jpegBytes(blobs(height, width, seed), 0.9f);
  }

  static RgbImage blobs(int height, int width, long seed) {
    java.util.Random rnd = new java.util.Random(seed);
    byte[] px = new byte[height * width * 3];
    int cx = rnd.nextInt(width);
    int cy = rnd.nextInt(height);
    int r = 5 + rnd.nextInt(Math.max(1, Math.min(height, width) / 3));
    int c0 = rnd.nextInt(256);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int k = (y * width + x) * 3;
        boolean in = (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r;
        px[k] = (byte) (in ? c0 : 60);
        px[k + 1] = (byte) (in ? 255 - c0 : 90);
        px[k + 2] = (byte) (in ? 30 : (x * 255 / width));
      }
    }
    return new RgbImage(height, width, px);
  }
}
