package org.grievance.ssd.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The loss trains: gradients flow to exactly the anchors in a loss term, and steps reduce it. */
class SsdLossGradientTest {
  private static final int B = 2;
  private static final int N = 50;
  private static final int CLASSES = 3;

  /** Every 10th anchor positive (class 1 or 2), the one after it neutral, the rest background. */
  private static long classId(int item, int anchor) {
    return switch (anchor % 10) {
      case 0 -> 1 + (anchor / 10 + item) % 2;
      case 1 -> -1;
      default -> 0;
    };
  }

  private static NDList labels(NDManager manager, Random rnd) {
    long[] ids = new long[B * N];
    float[] targets = new float[B * N * 4];
    for (int i = 0; i < B * N; i++) {
      ids[i] = classId(i / N, i % N);
      for (int j = 0; j < 4; j++) {
        targets[i * 4 + j] = (float) rnd.nextGaussian();
      }
    }
    return new NDList(
        manager.create(ids, new Shape(B, N)).toType(DataType.INT32, false),
        manager.create(targets, new Shape(B, N, 4)));
  }

  private static NDArray gaussian(NDManager manager, Random rnd, Shape shape, double scale) {
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (scale * rnd.nextGaussian());
    }
    return manager.create(values, shape);
  }

  @Test
  void gradientsReachExactlyTheAnchorsInALossTermAndSgdReducesTheLoss() {
    Random rnd = new Random(42);
    SsdLoss loss = new SsdLoss(SsdLossConfig.defaults());
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList labels = labels(manager, rnd);
      NDArray logits = gaussian(manager, rnd, new Shape(B, N, CLASSES), 1.0);
      NDArray offsets = gaussian(manager, rnd, new Shape(B, N, 4), 1.0);
      logits.setRequiresGradient(true);
      offsets.setRequiresGradient(true);
      NDList predictions = new NDList(logits, offsets);
      Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).build();

      LossBreakdown first = loss.breakdown(labels, predictions);
      Set<Long> selected = new HashSet<>();
      for (long flat : first.selectedNegatives()) {
        selected.add(flat);
      }
      assertThat(selected).isNotEmpty();

      double initial = Double.NaN;
      double latest = Double.NaN;
      for (int step = 0; step < 40; step++) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          collector.zeroGradients();
          int arraysBefore = manager.getManagedArrays().size();
          NDArray value = loss.evaluate(labels, predictions);
          // Only the result stays: the intermediates are closed before backward, which still works
          // (the autograd graph keeps what it needs).
          assertThat(manager.getManagedArrays()).hasSize(arraysBefore + 1);
          collector.backward(value);
          latest = value.getFloat();
          value.close();
        }
        if (step == 0) {
          initial = latest;
          assertThat(initial).isCloseTo(first.meanLoss(), within(1e-5));
          checkGradientSupport(logits.getGradient(), offsets.getGradient(), selected);
        }
        sgd.update("logits", logits, logits.getGradient());
        sgd.update("offsets", offsets, offsets.getGradient());
      }
      assertThat(latest).isLessThan(0.5 * initial);
    }
  }

  private static void checkGradientSupport(
      NDArray logitGrad, NDArray offsetGrad, Set<Long> selectedNegatives) {
    float[] dLogits = logitGrad.toFloatArray();
    float[] dOffsets = offsetGrad.toFloatArray();
    for (int i = 0; i < B * N; i++) {
      long id = classId(i / N, i % N);
      boolean inClassTerm = id > 0 || (id == 0 && selectedNegatives.contains((long) i));
      double logitNorm = 0;
      for (int c = 0; c < CLASSES; c++) {
        float g = dLogits[i * CLASSES + c];
        assertThat(Float.isFinite(g)).as("finite logit gradient at %d", i).isTrue();
        logitNorm += Math.abs(g);
      }
      double offsetNorm = 0;
      for (int j = 0; j < 4; j++) {
        float g = dOffsets[i * 4 + j];
        assertThat(Float.isFinite(g)).as("finite offset gradient at %d", i).isTrue();
        offsetNorm += Math.abs(g);
      }
      String where = "anchor " + i + " (class id " + id + ")";
      if (inClassTerm) {
        assertThat(logitNorm).as(where).isPositive();
      } else {
        assertThat(logitNorm).as(where).isZero();
      }
      if (id > 0) {
        assertThat(offsetNorm).as(where).isPositive();
      } else {
        assertThat(offsetNorm).as(where).isZero();
      }
    }
  }

  @Test
  void trainsATinyDjlModelThroughTheTrainer() {
    Random rnd = new Random(3);
    ParallelBlock heads =
        new ParallelBlock(
            outs -> new NDList(outs.get(0).singletonOrThrow(), outs.get(1).singletonOrThrow()),
            List.of(
                Linear.builder().setUnits(CLASSES).build(), Linear.builder().setUnits(4).build()));
    DefaultTrainingConfig config =
        new DefaultTrainingConfig(
                new SsdLoss(SsdLossConfig.builder().mining(NegativeMining.PER_IMAGE).build()))
            .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).build());
    try (Model model = Model.newInstance("ssd-loss-toy")) {
      model.setBlock(heads);
      try (Trainer trainer = model.newTrainer(config)) {
        NDManager manager = trainer.getManager();
        trainer.initialize(new Shape(B, N, 8));
        NDList features = new NDList(gaussian(manager, rnd, new Shape(B, N, 8), 1.0));
        NDList labels = labels(manager, rnd);
        float initial = Float.NaN;
        float latest = Float.NaN;
        for (int step = 0; step < 30; step++) {
          try (GradientCollector collector = trainer.newGradientCollector()) {
            NDList predictions = trainer.forward(features);
            NDArray value = trainer.getLoss().evaluate(labels, predictions);
            collector.backward(value);
            latest = value.getFloat();
            predictions.close();
            value.close();
          }
          trainer.step();
          if (step == 0) {
            initial = latest;
          }
        }
        assertThat(latest).isLessThan(0.7f * initial);
      }
    }
  }
}
