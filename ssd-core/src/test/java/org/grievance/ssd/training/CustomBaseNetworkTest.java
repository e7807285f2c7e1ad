package org.grievance.ssd.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.ObjectBox;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.infer.DetectorOptions;
import org.grievance.ssd.model.SsdModel;
import org.grievance.ssd.spec.BaseNetworkArchitecture;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.ModelDescriptionException;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.spec.TinyArchitecture;
import org.grievance.ssd.spec.TinyBase;
import org.grievance.ssd.store.CheckpointFiles;
import org.grievance.ssd.train.ProgressListener;
import org.grievance.ssd.train.ScheduleConfig;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.train.TrainingResult;
import org.grievance.ssd.training.DetectorTraining.Augmentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backbone extension point end to end: a toy {@link TinyBase} found on the class path through
 * {@link java.util.ServiceLoader}, its description derived from its feature maps alone, trained
 * through the real loader and trainer (the loss falls), then reloaded from its run directory and
 * used by the {@link Detector}.
 */
class CustomBaseNetworkTest {
  private static final int SIZE = 64;
  private static final List<String> CLASSES = List.of("square", "disk");

  @TempDir Path tmp;

  @Test
  void aServiceLoadedToyBackboneTrainsAndPredicts() throws Exception {
    assertThat(SsdModels.names()).contains(TinyArchitecture.NAME, SsdModels.SSD7);
    ModelDescription description =
        SsdModels.architecture(TinyArchitecture.NAME).defaultDescription(SIZE, SIZE, CLASSES);
    assertThat(description.boxesPerCell()).containsExactly(4, 4);
    assertThat(description.anchors().anchorCount()).isEqualTo((8 * 8 + 4 * 4) * 4);
    SsdModel network = SsdModels.build(description);
    assertThat(network.layers().keySet())
        .containsExactly(
            "conv1",
            "conv2",
            "conv3",
            "conv4",
            "classes_conv3",
            "boxes_conv3",
            "classes_conv4",
            "boxes_conv4");

    Dataset train = dataset(40, new Random(3));
    TrainConfig config =
        TrainConfig.builder()
            .epochs(6)
            .schedule(ScheduleConfig.constant(3e-3).withWarmup(4))
            .earlyStopping(null)
            .plateau(null)
            .numThreads(2)
            .seed(5)
            .build();
    Path run = tmp.resolve("run");
    TrainingResult result =
        DetectorTraining.train(
            new DetectorTraining.Setup(
                description, train, null, 8, Augmentation.NONE, 1, true, 0, 0),
            config,
            run,
            ProgressListener.NONE);

    assertThat(result.epochsCompleted()).isEqualTo(6);
    List<String> log = Files.readAllLines(run.resolve("log.csv"));
    assertThat(trainLoss(log, log.size() - 1))
        .as("last epoch's training loss vs the first's")
        .isLessThan(trainLoss(log, 1) * 0.7);

    ModelDescription saved =
        ModelDescription.read(
            run.resolve(CheckpointFiles.LAST).resolve(CheckpointFiles.DESCRIPTION_FILE));
    assertThat(saved.architecture()).isEqualTo(TinyArchitecture.NAME);
    try (Detector detector =
        Detector.load(
            run, DetectorOptions.builder().confidenceThreshold(0.01).threads(1).build())) {
      List<Detection> dets = detector.detect(draw(1, new double[] {10, 12, 42, 44}));
      assertThat(dets).isNotEmpty();
      for (Detection d : dets) {
        assertThat(d.classId()).isBetween(1, CLASSES.size());
        assertThat(d.score()).isBetween(0.01, 1.0);
      }
    }
  }

  @Test
  void registeringAnotherBaseUnderATakenNameFailsNamingIt() {
    assertThatThrownBy(
            () -> SsdModels.register(new BaseNetworkArchitecture(SsdModels.SSD7, TinyBase::new)))
        .hasMessageContaining("'ssd7' is already registered");
    assertThatThrownBy(() -> SsdModels.architecture("no-such-net"))
        .isInstanceOf(ModelDescriptionException.class)
        .hasMessageContaining("no-such-net")
        .hasMessageContaining(TinyArchitecture.NAME);
  }

  private static double trainLoss(List<String> log, int row) {
    List<String> header = List.of(log.get(0).split(","));
    return Double.parseDouble(log.get(row).split(",")[header.indexOf("train_loss")]);
  }

  private Dataset dataset(int n, Random rng) throws Exception {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int classId = 1 + (i % 2);
      int side = 20 + rng.nextInt(21);
      int x = rng.nextInt(SIZE - side);
      int y = rng.nextInt(SIZE - side);
      double[] box = {x, y, x + side, y + side};
      Path file = tmp.resolve("img_" + i + ".png");
      ImageFiles.writePng(draw(classId, box), file);
      samples.add(
          new Sample(
              "img_" + i,
              file,
              SIZE,
              SIZE,
              List.of(ObjectBox.of(classId, box[0], box[1], box[2], box[3]))));
    }
    return new Dataset("toy", CLASSES, List.of(1, 2), samples);
  }

  private static RgbImage draw(int classId, double[] box) {
    BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setColor(new Color(230, 230, 225));
      g.fillRect(0, 0, SIZE, SIZE);
      g.setColor(new Color(40, 40, 60));
      int s = (int) (box[2] - box[0]);
      if (classId == 1) {
        g.fillRect((int) box[0], (int) box[1], s, s);
      } else {
        g.fillOval((int) box[0], (int) box[1], s, s);
      }
    } finally {
      g.dispose();
    }
    return RgbImage.fromBufferedImage(img);
  }
}
