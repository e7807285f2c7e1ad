package org.grievance.ssd.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.ObjectBox;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.model.SsdModel;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.store.ModelDirectory;
import org.grievance.ssd.train.OptimizerConfig;
import org.grievance.ssd.train.ProgressListener;
import org.grievance.ssd.train.ScheduleConfig;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.training.DetectorTraining.Augmentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short SSD7 run from a saved model with frozen layers and a zero learning-rate multiplier. */
class FineTuningTest {
  private static final int SIZE = 64;
  private static final List<String> CLASSES = List.of("square");

  @TempDir Path tmp;

  @Test
  void startsFromTheInitWeightsAndLeavesFrozenAndZeroRateLayersUnchanged() throws Exception {
    ModelDescription d = ModelDescription.ssd7(SIZE, SIZE, CLASSES);
    Path init = tmp.resolve("init");
    Map<String, float[]> before;
    Engine.getInstance().setRandomSeed(5);
    try (Model m = Model.newInstance("ssd7")) {
      SsdModel net = SsdModels.create(m.getNDManager(), d);
      m.setBlock(net);
      ModelDirectory.save(init, m, d);
      before = weights(net);
    }
    FineTuning ft =
        new FineTuning(init, List.of("conv1", "bn1"), Map.of("classes4", 0.0, "conv2", 1.0));
    TrainConfig config =
        TrainConfig.builder()
            .epochs(1)
            .optimizer(OptimizerConfig.sgd())
            .schedule(ScheduleConfig.constant(1e-2))
            .earlyStopping(null)
            .plateau(null)
            .numThreads(1)
            .build();
    DetectorTraining.Setup setup =
        new DetectorTraining.Setup(d, dataset(8), null, 4, Augmentation.NONE, 1, true, 0, 0);
    Path run = tmp.resolve("run");
    DetectorTraining.train(setup, config, run, ProgressListener.NONE, ft);

    try (Model trained = ModelDirectory.open(run).loadModel()) {
      Map<String, float[]> after = weights((SsdModel) trained.getBlock());
      assertThat(after.get("conv1.weight")).containsExactly(before.get("conv1.weight"));
      assertThat(after.get("bn1.gamma")).containsExactly(before.get("bn1.gamma"));
      assertThat(after.get("classes4.weight")).containsExactly(before.get("classes4.weight"));
      assertThat(after.get("conv2.weight")).isNotEqualTo(before.get("conv2.weight"));
      assertThat(after.get("classes5.weight")).isNotEqualTo(before.get("classes5.weight"));
    }
  }

  @Test
  void prefixesMatchingNoLayerAndMismatchedInitModelsAreRejected() throws Exception {
    ModelDescription d = ModelDescription.ssd7(SIZE, SIZE, CLASSES);
    try (Model m = Model.newInstance("ssd7")) {
      SsdModel net = SsdModels.create(m.getNDManager(), d);
      m.setBlock(net);
      assertThatThrownBy(() -> new FineTuning(null, List.of("conv_1"), Map.of()).frozenLayers(net))
          .hasMessageContaining("no layer name starts with 'conv_1'");
      Path other = tmp.resolve("other");
      ModelDescription twoClasses = ModelDescription.ssd7(SIZE, SIZE, List.of("a", "b"));
      try (Model m2 = Model.newInstance("ssd7")) {
        m2.setBlock(SsdModels.create(m2.getNDManager(), twoClasses));
        ModelDirectory.save(other, m2, twoClasses);
      }
      assertThatThrownBy(() -> new FineTuning(other, List.of(), Map.of()).loadInit(m, d))
          .hasMessageContaining("[a, b]")
          .hasMessageContaining("ssd weights subsample");
    }
    assertThatThrownBy(() -> new FineTuning(null, List.of(), Map.of("fc7", -1.0)))
        .hasMessageContaining("fc7");
  }

  private static Map<String, float[]> weights(SsdModel net) {
    Map<String, float[]> out = new java.util.HashMap<>();
    for (Map.Entry<String, Block> e : net.layers().entrySet()) {
      e.getValue()
          .getParameters()
          .forEach(
              p -> out.put(e.getKey() + "." + p.getKey(), p.getValue().getArray().toFloatArray()));
    }
    return out;
  }

  private Dataset dataset(int n) throws Exception {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int x = 4 + 3 * i;
      BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, SIZE, SIZE);
      g.setColor(Color.BLACK);
      g.fillRect(x, x, 24, 24);
      g.dispose();
      Path file = tmp.resolve("img" + i + ".png");
      ImageFiles.writePng(RgbImage.fromBufferedImage(img), file);
      samples.add(
          new Sample("img" + i, file, SIZE, SIZE, List.of(ObjectBox.of(1, x, x, x + 24, x + 24))));
    }
    return new Dataset("toy", CLASSES, List.of(1), samples);
  }
}
