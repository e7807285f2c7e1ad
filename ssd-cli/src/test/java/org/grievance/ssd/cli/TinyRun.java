package org.grievance.ssd.cli;

import ai.djl.Model;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.spec.SsdModels;
import org.grievance.ssd.train.Checkpoints;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.train.TrainingState;

/** A run directory holding a randomly initialised 96x128 SSD7 as its best checkpoint. */
final class TinyRun {
  private TinyRun() {}

  static Path create(Path runDir, List<String> classNames, long seed) throws IOException {
    ModelDescription description = ModelDescription.ssd7(96, 128, classNames);
    Engine.getInstance().setRandomSeed((int) seed);
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
}
