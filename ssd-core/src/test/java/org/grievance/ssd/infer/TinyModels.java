package org.grievance.ssd.infer;

import ai.djl.Model;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.model.SsdModel;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.train.Checkpoints;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.train.TrainingState;

/** A tiny randomly initialised SSD7 (96x128, two classes) and images to run it on. */
final class TinyModels {
  static final ModelDescription DESCRIPTION =
      ModelDescription.ssd7(96, 128, List.of("circle", "square"));

  private TinyModels() {}

  /** A fresh model whose weights depend on {@code seed}; the caller closes it. */
  static Model model(long seed) {
    Engine.getInstance().setRandomSeed((int) seed);
    Model model = Model.newInstance("tiny");
    SsdModel network = SsdModels.create(model.getNDManager(), DESCRIPTION);
    model.setBlock(network);
    return model;
  }

  /** Saves {@code model} as checkpoint {@code name} of {@code runDir}, with its description. */
  static Path save(Model model, Path runDir, String name) throws IOException {
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
    Checkpoints.write(runDir, name, model, state, DESCRIPTION.toJson());
    return runDir.resolve(name);
  }

  /** A smooth random colour pattern (blobs), so the network sees structure rather than noise. */
  static RgbImage image(int height, int width, long seed) {
    Random rnd = new Random(seed);
    byte[] px = new byte[height * width * 3];
    double[][] blobs = new double[4][];
    for (int i = 0; i < blobs.length; i++) {
      blobs[i] =
          new double[] {
            rnd.nextDouble() * width,
            rnd.nextDouble() * height,
            (0.1 + 0.3 * rnd.nextDouble()) * Math.min(height, width),
            rnd.nextInt(256),
            rnd.nextInt(256),
            rnd.nextInt(256)
          };
    }
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int k = (y * width + x) * 3;
        px[k] = px[k + 1] = px[k + 2] = (byte) 40;
        for (double[] b : blobs) {
          if (Math.hypot(x - b[0], y - b[1]) < b[2]) {
            px[k] = (byte) b[3];
            px[k + 1] = (byte) b[4];
            px[k + 2] = (byte) b[5];
          }
        }
      }
    }
    return new RgbImage(height, width, px);
  }
}
