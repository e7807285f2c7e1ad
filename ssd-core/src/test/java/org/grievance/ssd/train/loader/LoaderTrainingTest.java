package org.grievance.ssd.train.loader;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import java.io.IOException;
import java.nio.file.Path;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.anchor.AnchorGenerator;
import org.grievance.ssd.augment.ConstantInputSizeAugmentation;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.DatasetLoader;
import org.grievance.ssd.data.DatasetSpec;
import org.grievance.ssd.encode.EncoderConfig;
import org.grievance.ssd.encode.SsdInputEncoder;
import org.grievance.ssd.model.Ssd7;
import org.grievance.ssd.synth.SynthConfig;
import org.grievance.ssd.synth.SyntheticDatasetGenerator;
import org.grievance.ssd.train.EpochReport;
import org.grievance.ssd.train.ScheduleConfig;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.train.Trainer;
import org.grievance.ssd.train.TrainingHooks;
import org.grievance.ssd.train.TrainingModel;
import org.grievance.ssd.train.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A few SSD7 training steps on a tiny synthetic data set, fed by the loader. */
class LoaderTrainingTest {
  private static final int H = 96;
  private static final int W = 128;

  @TempDir Path tmp;

  @Test
  void trainerRunsSsd7OnTheLoadersBatches() throws IOException {
    Path data = tmp.resolve("synth");
    SyntheticDatasetGenerator.generate(
        SynthConfig.builder().splits(8, 4, 0).imageSize(H, W).seed(3).build(),
        data,
        (done, total) -> {});
    Dataset train = DatasetLoader.load(DatasetSpec.of(data, "train"));
    Dataset val = DatasetLoader.load(DatasetSpec.of(data, "val"));
    SsdInputEncoder encoder =
        new SsdInputEncoder(
            AnchorGenerator.generate(AnchorConfig.ssd7(H, W)),
            EncoderConfig.builder(train.classCount()).build());
    LoaderConfig trainConfig =
        LoaderConfig.builder(train, encoder)
            .batchSize(4)
            .workers(2)
            .augmentation(
                new ConstantInputSizeAugmentation(ConstantInputSizeAugmentation.Config.defaults()))
            .cacheDecodedImages(true)
            .build();
    LoaderConfig valConfig =
        LoaderConfig.builder(val, encoder).batchSize(3).workers(2).forValidation().build();
    TrainConfig config =
        TrainConfig.builder()
            .epochs(2)
            .schedule(ScheduleConfig.constant(1e-3))
            .plateau(null)
            .earlyStopping(null)
            .numThreads(1)
            .seed(11)
            .build();
    try (Model model = Model.newInstance("ssd7");
        DetectionBatchSource trainSource = new DetectionBatchSource(trainConfig);
        DetectionBatchSource valSource = new DetectionBatchSource(valConfig)) {
      model.setBlock(Ssd7.build(Ssd7.Config.defaults(train.classCount())));
      assertThat(trainSource.anchorCount())
          .isEqualTo(Ssd7.build(Ssd7.Config.defaults(5)).anchorCount(H, W));
      TrainingResult result =
          Trainer.train(
              config,
              TrainingModel.of(model),
              trainSource,
              valSource,
              tmp.resolve("run"),
              TrainingHooks.none());

      assertThat(result.globalStep()).isEqualTo(2L * trainSource.batchesPerEpoch());
      assertThat(result.history()).hasSize(2);
      for (EpochReport r : result.history()) {
        assertThat(r.trainLoss()).isFinite().isPositive();
        assertThat(r.valLoss()).isFinite().isPositive();
      }
    }
  }
}
