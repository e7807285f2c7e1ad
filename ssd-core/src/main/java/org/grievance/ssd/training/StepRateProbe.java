package org.grievance.ssd.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.io.AtomicFiles;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.train.EpochReport;
import org.grievance.ssd.train.ProgressListener;
import org.grievance.ssd.train.ScheduleConfig;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.train.TrainingResult;

/**
 * Measures how many images per second this machine trains a model at, by training it for a few real
 * steps (the loaders, loss and update included) into a temporary folder. A time-bounded run uses it
 * to choose an input size that gives it enough epochs ({@link InputSizeRule.WithinBudget}).
 */
public final class StepRateProbe {
  /** Steps per probe epoch; the first epoch warms LibTorch up and is not counted. */
  static final int STEPS_PER_EPOCH = 4;

  private StepRateProbe() {}

  /**
   * Training images per second of {@code description} fed like a run of {@code recipe} on {@code
   * train}: two short epochs of {@link #STEPS_PER_EPOCH} steps on the first images, the second
   * timed. Takes a few seconds at 300x480 on two cores.
   */
  public static double imagesPerSecond(
      ModelDescription description, Dataset train, TrainingRecipe recipe, MachineResources machine)
      throws IOException {
    int batch = recipe.batchSize();
    List<Sample> samples =
        train.samples().subList(0, Math.min(train.samples().size(), batch * STEPS_PER_EPOCH));
    Dataset subset = new Dataset(train.source(), train.classNames(), train.categoryIds(), samples);
    DetectorTraining.Setup setup =
        new DetectorTraining.Setup(
            description,
            subset,
            null,
            batch,
            recipe.augmentation(),
            machine.loaderThreads(),
            false,
            0,
            0);
    TrainConfig config =
        TrainConfig.builder()
            .epochs(2)
            .schedule(ScheduleConfig.constant(recipe.learningRate() * 0.01))
            .earlyStopping(null)
            .seed(recipe.seed())
            .numThreads(machine.modelThreads())
            .build();
    Path dir = Files.createTempDirectory("ssd-step-rate");
    try {
      TrainingResult r =
          DetectorTraining.train(setup, config, dir.resolve("run"), ProgressListener.NONE);
      List<EpochReport> history = r.history();
      return history.get(history.size() - 1).imagesPerSecond();
    } finally {
      AtomicFiles.deleteRecursively(dir);
    }
  }
}
