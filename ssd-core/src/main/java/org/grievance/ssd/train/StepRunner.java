package org.grievance.ssd.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.util.Arrays;
import org.grievance.ssd.engine.TensorStaging;
import org.grievance.ssd.loss.EvaluatedLoss;
import org.grievance.ssd.loss.LossBreakdown;
import org.grievance.ssd.loss.SsdLoss;

/**
 * One training or validation step. Every array of a step (inputs, labels, predictions, loss,
 * regulariser, and the gradient seed that {@link GradientCollector#backward} creates in the loss'
 * manager) lives in a sub-manager of the DJL trainer's manager that is closed when the step ends.
 */
final class StepRunner {
  /** The host-side losses of one batch. */
  record StepLoss(int images, double total, double classPart, double locPart, double extra) {
    boolean finite() {
      return Double.isFinite(total);
    }
  }

  private final Trainer trainer;
  private final SsdLoss loss;
  private final LossTerm extra;

  private static final int IMAGES = 0;
  private static final int CLASS_IDS = 1;
  private static final int OFFSETS = 2;

  /**
   * The batch arrays are staged through reused buffers: each step's arrays close with its manager.
   */
  private final TensorStaging staging = new TensorStaging(3);

  StepRunner(Trainer trainer, SsdLoss loss, LossTerm extra) {
    this.trainer = trainer;
    this.loss = loss;
    this.extra = extra;
  }

  /**
   * Forward, loss, backward and optimizer update. If the loss is not finite, nothing is
   * back-propagated or updated and the returned loss says so.
   */
  StepLoss train(Batch batch) {
    try (NDManager step = trainer.getManager().newSubManager()) {
      NDList inputs = inputs(step, batch);
      NDList labels = labels(step, batch);
      StepLoss result;
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList predictions = trainer.forward(inputs);
        predictions.attach(step);
        Evaluated e = evaluate(step, batch.size(), labels, predictions, true);
        result = e.loss();
        if (!result.finite()) {
          return result;
        }
        collector.backward(e.total());
      }
      trainer.step();
      return result;
    }
  }

  /** Forward in inference mode and loss, without gradients. */
  StepLoss validate(Batch batch) {
    try (NDManager step = trainer.getManager().newSubManager()) {
      NDList predictions = trainer.evaluate(inputs(step, batch));
      predictions.attach(step);
      return evaluate(step, batch.size(), labels(step, batch), predictions, false).loss();
    }
  }

  private record Evaluated(NDArray total, StepLoss loss) {}

  private Evaluated evaluate(
      NDManager step, int images, NDList labels, NDList predictions, boolean training) {
    EvaluatedLoss evaluated = loss.evaluateWithBreakdown(labels, predictions);
    NDArray total = evaluated.loss();
    total.attach(step);
    double extraValue = 0;
    NDArray term = extra.compute(step, training);
    if (term != null) {
      term.attach(step);
      if (term.getDataType() != total.getDataType()) {
        term = term.toType(total.getDataType(), false);
      }
      extraValue = host(term);
      total = total.add(term);
    }
    LossBreakdown b = evaluated.breakdown();
    double divisor = Math.max(1, b.nPositive());
    double classPart = Arrays.stream(b.classLoss()).sum() / divisor;
    double locPart = Arrays.stream(b.locLoss()).sum() / divisor;
    return new Evaluated(total, new StepLoss(images, host(total), classPart, locPart, extraValue));
  }

  private static double host(NDArray scalar) {
    return scalar.toType(DataType.FLOAT64, false).getDouble();
  }

  private NDList inputs(NDManager m, Batch b) {
    return new NDList(
        staging.floats(
            IMAGES, m, b.images(), new Shape(b.size(), 3, b.imageHeight(), b.imageWidth())));
  }

  private NDList labels(NDManager m, Batch b) {
    return new NDList(
        staging.ints(CLASS_IDS, m, b.classIds(), new Shape(b.size(), b.anchorCount())),
        staging.floats(OFFSETS, m, b.offsets(), new Shape(b.size(), b.anchorCount(), 4)));
  }
}
