package org.grievance.ssd.testing;

import ai.djl.Model;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.infer.DetectorOptions;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.store.CheckpointFiles;
import org.grievance.ssd.train.Checkpoints;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.train.TrainingState;

/**
 * Tiny randomly initialised SSD7 models (96x128), saved as a training run would save them, and
 * images to run them on: the one model fixture of the inference, command-line and service tests
 * (published in ssd-core's test jar).
 */
public final class TinyModels {
  /** The default tiny model: two classes, circle and square. */
  public static final ModelDescription DESCRIPTION = ssd7(List.of("circle", "square"));

  private TinyModels() {}

  /** A 96x128 SSD7 description with {@code classNames}. */
  public static ModelDescription ssd7(List<String> classNames) {
    return ModelDescription.ssd7(96, 128, classNames);
  }

  /**
   * A fresh {@link #DESCRIPTION} model whose weights depend on {@code seed}; the caller closes it.
   */
  public static Model model(long seed) {
    return model(DESCRIPTION, seed);
  }

  /**
   * A fresh model of {@code description} whose weights depend on {@code seed}; closed by the
   * caller.
   */
  public static Model model(ModelDescription description, long seed) {
    Engine.getInstance().setRandomSeed((int) seed);
    Model model = Model.newInstance("tiny");
    model.setBlock(SsdModels.create(model.getNDManager(), description));
    return model;
  }

  /**
   * Saves {@code model} as checkpoint {@code name} of {@code runDir}, with its description and the
   * state of a one-epoch run; returns the checkpoint directory.
   */
  public static Path save(Model model, ModelDescription description, Path runDir, String name)
      throws IOException {
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
    Checkpoints.write(runDir, name, model, state, description.toJson());
    return runDir.resolve(name);
  }

  /**
   * A run directory {@code runDir} whose best checkpoint is a fresh model of {@code description}
   * with weights from {@code seed}; returns {@code runDir}.
   */
  public static Path run(Path runDir, ModelDescription description, long seed) throws IOException {
    try (Model model = model(description, seed)) {
      save(model, description, runDir, CheckpointFiles.BEST);
    }
    return runDir;
  }

  /**
   * A CSV dataset in {@code dir} ({@code labels.csv}, {@code classes.txt} and {@code images} PNG
   * images of 96x128 beside them) labelled with {@code model}'s own {@code perClass} best
   * detections of each class that lie inside the image: a random model then has true positives at
   * the top of every class's precision-recall curve and false positives below them, so that a
   * threshold calibration has something to choose. Returns the CSV file.
   */
  public static Path selfLabelled(
      Model model, ModelDescription description, Path dir, int images, int perClass)
      throws IOException {
    Files.createDirectories(dir);
    List<String> rows = new ArrayList<>();
    rows.add("frame,xmin,xmax,ymin,ymax,class_id");
    try (Detector detector = Detector.of(model, description, DetectorOptions.evaluation())) {
      for (int i = 0; i < images; i++) {
        RgbImage image = image(96, 128, 1000 + i);
        String file = "img" + i + ".png";
        ImageFiles.writePng(image, dir.resolve(file));
        int[] taken = new int[description.classCount() + 1];
        for (Detection d : detector.detect(image)) {
          boolean inside = d.xmin() >= 0 && d.ymin() >= 0 && d.xmax() <= 128 && d.ymax() <= 96;
          if (inside && d.xmax() - d.xmin() >= 2 && d.ymax() - d.ymin() >= 2) {
            if (taken[d.classId()]++ < perClass) {
              rows.add(
                  String.format(
                      Locale.ROOT,
                      "%s,%s,%s,%s,%s,%d",
                      file,
                      d.xmin(),
                      d.xmax(),
                      d.ymin(),
                      d.ymax(),
                      d.classId()));
            }
          }
        }
      }
    }
    Files.write(dir.resolve("classes.txt"), description.classNames());
    return Files.write(dir.resolve("labels.csv"), rows);
  }

  /** A smooth random colour pattern (blobs), so the network sees structure rather than noise. */
  public static RgbImage image(int height, int width, long seed) {
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
