package org.grievance.ssd.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.grievance.ssd.train.TrainingResult.StopReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  @TempDir Path tmp;

  private static TrainingModel toy(Model model) {
    return new TrainingModel(
        model,
        L2Regularization.convKernels(model.getBlock(), 1e-4),
        () -> JsonNodeFactory.instance.objectNode().put("arch", "toy"));
  }

  @Test
  void lossFallsAndWritesCheckpointsLogAndCurves() throws IOException {
    Path run = tmp.resolve("run");
    List<String> lines = new ArrayList<>();
    TrainConfig config = Toy.config().epochs(6).schedule(ScheduleConfig.constant(0.02)).build();
    try (Model model = Toy.model("toy");
        BatchSource train = Toy.source(32, 1, 8, true);
        BatchSource val = Toy.source(16, 2, 8, false)) {
      TrainingResult result =
          Trainer.train(
              config,
              toy(model),
              train,
              val,
              run,
              TrainingHooks.builder()
                  .progress(new PlainProgress(lines::add, 0))
                  .evaluator(
                      (epoch, m) ->
                          epoch % 2 == 0 ? OptionalDouble.of(0.1 * epoch) : OptionalDouble.empty())
                  .build());

      assertThat(result.reason()).isEqualTo(StopReason.EPOCHS_DONE);
      assertThat(result.epochsCompleted()).isEqualTo(6);
      assertThat(result.globalStep()).isEqualTo(24);
      List<EpochReport> h = result.history();
      assertThat(h).extracting(EpochReport::epoch).containsExactly(1, 2, 3, 4, 5, 6);
      assertThat(h.get(5).trainLoss()).isLessThan(0.6 * h.get(0).trainLoss());
      assertThat(h.get(5).valLoss()).isLessThan(0.6 * h.get(0).valLoss());
      assertThat(h.get(0).trainExtraLoss()).isPositive();
      assertThat(h.get(0).trainLoss())
          .isGreaterThan(h.get(0).trainClassLoss()); // loc and extra terms are added
      assertThat(h.get(1).valMap()).isCloseTo(0.2, within(1e-9));
      assertThat(h.get(0).valMap()).isNaN();
      assertThat(result.monitor()).isEqualTo("val_loss");
      assertThat(result.bestMetric())
          .isEqualTo(h.stream().mapToDouble(EpochReport::valLoss).min().orElseThrow());
    }

    for (String name : List.of("last", "best")) {
      Path dir = run.resolve(name);
      assertThat(dir.resolve("training-state.json")).isRegularFile();
      assertThat(dir.resolve("model.json")).content().contains("\"toy\"");
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .anyMatch(f -> f.matches("model-\\d{4}\\.params"));
      }
    }
    assertThat(Checkpoints.readState(run.resolve("last")).epochsCompleted()).isEqualTo(6);
    try (Stream<Path> files = Files.list(run)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary or previous checkpoint directories left")
          .noneMatch(f -> f.startsWith("."));
    }
    List<String> csv = Files.readAllLines(run.resolve("log.csv"));
    assertThat(csv.get(0)).isEqualTo(String.join(",", CsvLog.COLUMNS));
    assertThat(csv).hasSize(7);
    assertThat(csv.get(1)).startsWith("1,4,");
    assertThat(run.resolve("loss.png")).isNotEmptyFile();
    assertThat(run.resolve("map.png")).isNotEmptyFile();
    assertThat(Files.readAllBytes(run.resolve("loss.png"))).startsWith(0x89, 'P', 'N', 'G');
    assertThat(lines).anyMatch(l -> l.startsWith("epoch 6/6 done"));
    assertThat(lines).anyMatch(l -> l.contains("batch 4/4"));
  }

  /** A listener that "kills" the run after a given epoch. */
  private static final class Kill extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void resumeAfterKillContinuesEpochsStepsAndSchedule() throws IOException {
    Path run = tmp.resolve("resumed");
    Path reference = tmp.resolve("uninterrupted");
    TrainConfig config =
        Toy.config().epochs(3).schedule(ScheduleConfig.cosine(0.02, 0.001)).build();
    List<EpochReport> straight;
    float[][] weightsAtKill = new float[1][];
    float[][] weightsAtResume = new float[1][];
    try (Model model = Toy.model("a");
        BatchSource train = Toy.source(32, 1, 8, true)) {
      straight =
          Trainer.train(config, toy(model), train, null, reference, TrainingHooks.none()).history();
    }
    try (Model model = Toy.model("b");
        BatchSource train = Toy.source(32, 1, 8, true)) {
      TrainingHooks killAfterFirst =
          TrainingHooks.builder()
              .listener(
                  (report, m) -> {
                    weightsAtKill[0] = firstWeights(m);
                    throw new Kill();
                  })
              .build();
      assertThatThrownBy(() -> Trainer.train(config, toy(model), train, null, run, killAfterFirst))
          .isInstanceOf(Kill.class);
    }
    TrainingState killed = Checkpoints.readState(run.resolve("last"));
    assertThat(killed.epochsCompleted()).isEqualTo(1);
    assertThat(killed.globalStep()).isEqualTo(4);
    assertThat(killed.horizon()).isEqualTo(12);

    List<Integer> seenEpochs = new ArrayList<>();
    TrainingResult result;
    try (Model model = Toy.model("c");
        BatchSource train = Toy.source(32, 1, 8, true)) {
      result =
          Trainer.resume(
              run,
              toy(model),
              train,
              null,
              TrainingHooks.builder()
                  .listener((r, m) -> seenEpochs.add(r.epoch()))
                  .progress(
                      new ProgressListener() {
                        @Override
                        public void onStart(TrainingPlan plan) {
                          weightsAtResume[0] = firstWeights(model);
                        }
                      })
                  .build());
    }
    assertThat(weightsAtResume[0]).isNotNull().isEqualTo(weightsAtKill[0]);
    assertThat(seenEpochs).containsExactly(2, 3);
    assertThat(result.epochsCompleted()).isEqualTo(3);
    assertThat(result.globalStep()).isEqualTo(12);
    List<EpochReport> h = result.history();
    assertThat(h).extracting(EpochReport::epoch).containsExactly(1, 2, 3);
    assertThat(h).extracting(EpochReport::globalStep).containsExactly(4L, 8L, 12L);
    // The lr of each epoch's last step follows the cosine laid over 12 steps, as without the kill.
    CosineSchedule cosine = new CosineSchedule(0.02, 0.001);
    for (int e = 0; e < 3; e++) {
      double expected = cosine.rate(4L * (e + 1) - 1, 12);
      assertThat(h.get(e).learningRate()).isCloseTo(expected, within(1e-7));
      assertThat(straight.get(e).learningRate()).isCloseTo(expected, within(1e-7));
    }
    // The same seed gives the same first epoch; after the resume, same data order and restored
    // weights keep the run close to the uninterrupted one (not equal: the optimizer moments
    // restart from zero).
    assertThat(h.get(0).trainLoss()).isCloseTo(straight.get(0).trainLoss(), within(1e-5));
    for (int e = 1; e < 3; e++) {
      assertThat(h.get(e).trainLoss())
          .isCloseTo(straight.get(e).trainLoss(), within(0.15 * straight.get(e).trainLoss()));
    }
    assertThat(h.get(2).trainLoss()).isLessThan(h.get(0).trainLoss());
    assertThat(Files.readAllLines(run.resolve("log.csv"))).hasSize(4);
  }

  @Test
  void resumeWarmupRampsTheRateAfterAResume() throws IOException {
    Path run = tmp.resolve("warm");
    TrainConfig config = Toy.config().epochs(1).build();
    try (Model model = Toy.model("w1");
        BatchSource train = Toy.source(32, 1, 8, true)) {
      Trainer.train(config, toy(model), train, null, run, TrainingHooks.none());
    }
    List<Double> rates = new ArrayList<>();
    ProgressListener record =
        new ProgressListener() {
          @Override
          public void onBatch(BatchProgress p) {
            rates.add(p.learningRate());
          }
        };
    try (Model model = Toy.model("w2");
        BatchSource train = Toy.source(32, 1, 8, true)) {
      Trainer.resume(
          run,
          c -> c.toBuilder().epochs(2).resumeWarmupSteps(4).build(),
          toy(model),
          train,
          null,
          TrainingHooks.builder().progress(record).build());
    }
    assertThat(rates).hasSize(4);
    for (int i = 0; i < 4; i++) {
      assertThat(rates.get(i)).isCloseTo(0.01 * (i + 1) / 4, within(1e-9));
    }
  }

  @Test
  void nanLossStopsWithAClearMessageAndKeepsTheLastGoodCheckpoint() throws IOException {
    Path run = tmp.resolve("nan");
    byte[][] paramsAfterEpoch1 = new byte[1][];
    try (Model model = Toy.model("nan");
        BatchSource train =
            Toy.mapped(
                Toy.source(32, 1, 8, true),
                (epochCall, batch) ->
                    b -> {
                      if (epochCall == 2 && batch == 3) {
                        float[] offsets = b.offsets().clone();
                        Arrays.fill(offsets, Float.NaN);
                        return new Batch(
                            b.size(),
                            b.imageHeight(),
                            b.imageWidth(),
                            b.anchorCount(),
                            b.images(),
                            b.classIds(),
                            offsets);
                      }
                      return b;
                    })) {
      TrainingHooks hooks =
          TrainingHooks.builder()
              .listener((r, m) -> paramsAfterEpoch1[0] = paramsBytes(run.resolve("last")))
              .build();
      assertThatThrownBy(
              () -> Trainer.train(Toy.config().build(), toy(model), train, null, run, hooks))
          .isInstanceOf(NonFiniteLossException.class)
          .hasMessageContaining("loss is NaN at epoch 2, batch 3/4 (global step 7)")
          .hasMessageContaining("last finite loss was")
          .hasMessageContaining("at step 6")
          .hasMessageContaining("last good checkpoint (epoch 1)")
          .satisfies(
              e -> {
                NonFiniteLossException n = (NonFiniteLossException) e;
                assertThat(n.epoch()).isEqualTo(2);
                assertThat(n.lastFiniteLoss()).isFinite();
              });
    }
    assertThat(Checkpoints.readState(run.resolve("last")).epochsCompleted()).isEqualTo(1);
    assertThat(paramsBytes(run.resolve("last"))).isEqualTo(paramsAfterEpoch1[0]);
    assertThat(Files.readAllLines(run.resolve("log.csv"))).hasSize(2);
  }

  private static float[] firstWeights(Model m) {
    return m.getBlock().getParameters().valueAt(0).getArray().toFloatArray();
  }

  private static byte[] paramsBytes(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      Path p = files.filter(f -> f.toString().endsWith(".params")).findFirst().orElseThrow();
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void plateauLowersTheRateAndEarlyStoppingEndsTheRun() throws IOException {
    // A rate so small that the validation loss cannot improve by min_delta.
    TrainConfig config =
        Toy.config()
            .epochs(20)
            .schedule(ScheduleConfig.constant(1e-9))
            .plateau(new PlateauConfig(0.2, 1, 1e-3, 1e-12, 0))
            .earlyStopping(new EarlyStoppingConfig(3, 1e-3))
            .build();
    TrainingResult result;
    try (Model model = Toy.model("flat");
        BatchSource train = Toy.source(16, 1, 8, true);
        BatchSource val = Toy.source(8, 2, 8, false)) {
      result =
          Trainer.train(config, toy(model), train, val, tmp.resolve("flat"), TrainingHooks.none());
    }
    assertThat(result.reason()).isEqualTo(StopReason.EARLY_STOPPING);
    // Epoch 1 improves on +inf, epochs 2, 3, 4 do not: patience 3 stops after epoch 4.
    assertThat(result.epochsCompleted()).isEqualTo(4);
    List<EpochReport> h = result.history();
    // "best" follows any decrease (no min_delta), unlike the stopping rules.
    assertThat(result.bestMetric())
        .isEqualTo(h.stream().mapToDouble(EpochReport::valLoss).min().orElseThrow());
    // Patience 1: each non-improving epoch (2, 3, 4) multiplies the rate of the next by 0.2.
    assertThat(h.get(1).learningRate()).isCloseTo(1e-9, within(1e-15));
    assertThat(h.get(2).learningRate()).isCloseTo(0.2e-9, within(1e-15));
    assertThat(h.get(3).learningRate()).isCloseTo(0.04e-9, within(1e-15));
  }

  @Test
  void timeBudgetStopsAtTheBatchThatCrossesItWithTheCosineAtItsFloor() throws IOException {
    AtomicLong clock = new AtomicLong();
    long tenSeconds = 10_000_000_000L;
    TrainConfig config =
        Toy.config().epochs(0).minutes(1.75).schedule(ScheduleConfig.cosine(0.02, 0.001)).build();
    List<Long> horizons = new ArrayList<>();
    ProgressListener record =
        new ProgressListener() {
          @Override
          public void onBatch(BatchProgress p) {
            horizons.add(p.horizon());
          }
        };
    TrainingResult result;
    try (Model model = Toy.model("budget");
        BatchSource train =
            Toy.mapped(
                Toy.source(32, 1, 8, true),
                (epochCall, batch) ->
                    b -> {
                      clock.addAndGet(tenSeconds); // every batch "takes" 10 s
                      return b;
                    })) {
      result =
          Trainer.train(
              config,
              toy(model),
              train,
              null,
              tmp.resolve("budget"),
              TrainingHooks.builder().nanoTime(clock::get).progress(record).build());
    }
    // 105 s budget: the 11th batch ends at 110 s, in epoch 3.
    assertThat(result.reason()).isEqualTo(StopReason.TIME_BUDGET);
    assertThat(result.globalStep()).isEqualTo(11);
    assertThat(result.epochsCompleted()).isEqualTo(3);
    assertThat(result.history()).extracting(EpochReport::globalStep).containsExactly(4L, 8L, 11L);
    // 10 s per step leaves room for 10 steps: the cosine is laid over them and ends at its floor.
    // Unknown before the first estimate; from the end of epoch 1 on, re-estimates agree on 10.
    assertThat(horizons.subList(0, 4)).containsOnly(Long.MAX_VALUE);
    assertThat(horizons.subList(4, 11)).containsOnly(10L);
    assertThat(result.history().get(0).learningRate()).isCloseTo(0.02, within(1e-9));
    assertThat(result.history().get(1).learningRate())
        .isCloseTo(new CosineSchedule(0.02, 0.001).rate(7, 10), within(1e-9));
    assertThat(result.history().get(2).learningRate()).isCloseTo(0.001, within(1e-9));
  }

  @Test
  void liveArrayCountDoesNotGrowOverTwoHundredSteps() throws IOException {
    Model[] holder = new Model[1];
    List<Integer> modelCounts = new ArrayList<>();
    List<Integer> systemCounts = new ArrayList<>();
    ProgressListener count =
        new ProgressListener() {
          @Override
          public void onBatch(BatchProgress p) {
            modelCounts.add(holder[0].getNDManager().getManagedArrays().size());
            try (NDManager probe = NDManager.newBaseManager()) {
              // The engine's root manager: every manager of the process is below it.
              systemCounts.add(probe.getParentManager().getManagedArrays().size());
            }
          }
        };
    try (Model model = Toy.model("memory");
        BatchSource train = Toy.source(110, 3, 1, true);
        BatchSource val = Toy.source(4, 4, 2, false)) {
      holder[0] = model;
      Trainer.train(
          Toy.config().epochs(2).build(),
          toy(model),
          train,
          val,
          tmp.resolve("memory"),
          TrainingHooks.builder().progress(count).build());
    }
    assertThat(modelCounts).hasSize(220);
    int settled = modelCounts.get(9);
    assertThat(modelCounts.subList(10, 220)).allMatch(c -> c <= settled);
    assertThat(modelCounts.get(219)).isEqualTo(settled);
    int systemSettled = systemCounts.get(9);
    assertThat(systemCounts.subList(10, 220)).allMatch(c -> c <= systemSettled);
  }

  @Test
  void refusesToOverwriteAnExistingRunAndToResumeAnEmptyOne() throws IOException {
    Path run = tmp.resolve("once");
    try (Model model = Toy.model("o1");
        BatchSource train = Toy.source(8, 1, 8, true)) {
      Trainer.train(
          Toy.config().epochs(1).build(), toy(model), train, null, run, TrainingHooks.none());
    }
    try (Model model = Toy.model("o2");
        BatchSource train = Toy.source(8, 1, 8, true)) {
      assertThatThrownBy(
              () ->
                  Trainer.train(
                      Toy.config().epochs(1).build(),
                      toy(model),
                      train,
                      null,
                      run,
                      TrainingHooks.none()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already holds a checkpoint");
      assertThatThrownBy(
              () ->
                  Trainer.resume(
                      tmp.resolve("empty"), toy(model), train, null, TrainingHooks.none()))
          .isInstanceOf(java.nio.file.NoSuchFileException.class)
          .hasMessageContaining("no complete checkpoint");
    }
  }
}
