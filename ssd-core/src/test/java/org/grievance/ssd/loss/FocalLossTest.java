package org.grievance.ssd.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The focal classification term: values worked out by hand from the formula, its reduction to
 * cross-entropy, α handling, and its gradient against finite differences.
 */
class FocalLossTest {
  private static final double TOL = 1e-6;

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private static SsdLossConfig focal(double alpha, double gamma) {
    return SsdLossConfig.builder().focal(new FocalLossConfig(alpha, gamma, 0.01)).build();
  }

  /**
   * One image, three classes (background + 2), three anchors: anchor 0 an object of class 1 with
   * equal logits (p_t = 1/3) and offsets off by (0.5, −2, 0, 1); anchor 1 background with logits
   * (ln 3, 0, 0) (p_t = 3/5); anchor 2 neutral with confident wrong logits and large offset errors.
   */
  private NDList[] handExample(DataType dtype) {
    double[] logits = {0, 0, 0, Math.log(3), 0, 0, 5, -3, 2};
    double[] predicted = {0, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9};
    double[] targets = {0.5, -2, 0, 1, 1, 1, 1, 1, -9, -9, -9, -9};
    NDList labels =
        new NDList(
            manager.create(new long[] {1, 0, -1}, new Shape(1, 3)),
            manager.create(targets, new Shape(1, 3, 4)).toType(dtype, false));
    NDList predictions =
        new NDList(
            manager.create(logits, new Shape(1, 3, 3)).toType(dtype, false),
            manager.create(predicted, new Shape(1, 3, 4)).toType(dtype, false));
    return new NDList[] {labels, predictions};
  }

  @Test
  void handComputedFocalValuesWithThePapersAlphaAndGamma() {
    NDList[] in = handExample(DataType.FLOAT64);
    LossBreakdown b = new SsdLoss(focal(0.25, 2)).breakdown(in[0], in[1]);
    // Object: α·(1 − 1/3)²·ln 3 = 0.25 · 4/9 · 1.0986123 = 0.12206803
    double pos = 0.25 * (4.0 / 9.0) * Math.log(3);
    // Background: (1 − α)·(1 − 3/5)²·(−ln 0.6) = 0.75 · 0.16 · 0.51082562 = 0.06129907
    double neg = 0.75 * 0.16 * -Math.log(0.6);
    // Smooth L1 of (0.5, −2, 0, 1): 0.125 + 1.5 + 0 + 0.5
    double loc = 2.125;
    assertThat(pos).isCloseTo(0.12206803, within(1e-8));
    assertThat(neg).isCloseTo(0.06129907, within(1e-8));
    assertThat(b.posClassLoss()[0]).isCloseTo(pos, within(TOL));
    assertThat(b.negClassLoss()[0]).isCloseTo(neg, within(TOL));
    assertThat(b.locLoss()[0]).isCloseTo(loc, within(TOL));
    assertThat(b.totalLoss()[0]).isCloseTo(pos + neg + loc, within(TOL));
    assertThat(b.nPositive()).isEqualTo(1);
    assertThat(b.nNegativeKeep()).as("every background anchor, no mining").isEqualTo(1);
    assertThat(b.selectedNegatives()).containsExactly(1L);

    double scalar =
        new SsdLoss(focal(0.25, 2))
            .evaluate(in[0], in[1])
            .toType(DataType.FLOAT64, false)
            .getDouble();
    assertThat(scalar).isCloseTo(pos + neg + loc, within(TOL));
  }

  @Test
  void float32GivesTheSameValues() {
    NDList[] in = handExample(DataType.FLOAT32);
    double scalar = new SsdLoss(focal(0.25, 2)).evaluate(in[0], in[1]).getFloat();
    double expected = 0.25 * (4.0 / 9.0) * Math.log(3) + 0.75 * 0.16 * -Math.log(0.6) + 2.125;
    assertThat(scalar).isCloseTo(expected, within(1e-5));
  }

  @Test
  void gammaZeroWithoutAlphaIsCrossEntropyOverAllNonNeutralAnchors() {
    NDList[] in = handExample(DataType.FLOAT64);
    LossBreakdown b = new SsdLoss(focal(FocalLossConfig.NO_ALPHA, 0)).breakdown(in[0], in[1]);
    assertThat(b.posClassLoss()[0]).isCloseTo(Math.log(3), within(TOL));
    assertThat(b.negClassLoss()[0]).isCloseTo(-Math.log(0.6), within(TOL));
  }

  @Test
  void gammaZeroWithAlphaIsAlphaWeightedCrossEntropy() {
    NDList[] in = handExample(DataType.FLOAT64);
    LossBreakdown b = new SsdLoss(focal(0.25, 0)).breakdown(in[0], in[1]);
    assertThat(b.posClassLoss()[0]).isCloseTo(0.25 * Math.log(3), within(TOL));
    assertThat(b.negClassLoss()[0]).isCloseTo(0.75 * -Math.log(0.6), within(TOL));
  }

  @Test
  void gammaZeroWithoutAlphaEqualsTheMinedLossWhenMiningKeepsEveryNegative() {
    Random rnd = new Random(7);
    int batch = 2;
    int anchors = 40;
    int classes = 4;
    NDList[] in = randomInputs(rnd, batch, anchors, classes, DataType.FLOAT64);
    double focalLoss =
        new SsdLoss(focal(FocalLossConfig.NO_ALPHA, 0)).evaluate(in[0], in[1]).getDouble();
    // With a ratio far above the negatives' count the mined loss keeps every negative.
    double mined =
        new SsdLoss(SsdLossConfig.builder().negPosRatio(1000).build())
            .evaluate(in[0], in[1])
            .getDouble();
    assertThat(focalLoss).isCloseTo(mined, within(1e-9));
    // And both equal cross-entropy computed here by log-sum-exp over non-neutral anchors.
    double[] logits = in[1].get(0).toDoubleArray();
    long[] ids = in[0].get(0).toLongArray();
    double[] offsets = in[1].get(1).toDoubleArray();
    double[] targets = in[0].get(1).toDoubleArray();
    double ce = 0;
    double loc = 0;
    int positives = 0;
    for (int a = 0; a < batch * anchors; a++) {
      if (ids[a] < 0) {
        continue;
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < classes; k++) {
        max = Math.max(max, logits[a * classes + k]);
      }
      double sum = 0;
      for (int k = 0; k < classes; k++) {
        sum += Math.exp(logits[a * classes + k] - max);
      }
      ce += max + Math.log(sum) - logits[a * classes + (int) ids[a]];
      if (ids[a] > 0) {
        positives++;
        for (int j = 0; j < 4; j++) {
          double d = Math.abs(targets[a * 4 + j] - offsets[a * 4 + j]);
          loc += d < 1 ? 0.5 * d * d : d - 0.5;
        }
      }
    }
    assertThat(focalLoss).isCloseTo((ce + loc) / positives, within(1e-9));
  }

  @Test
  void focusingDownWeightsEasyAnchorsMoreThanHardOnes() {
    // Two background anchors, p_t = 0.99 (easy) and 0.5 (hard): γ = 2 shrinks the easy one's
    // cross-entropy by (0.01)² and the hard one's by (0.5)².
    NDList labels =
        new NDList(
            manager.create(new long[] {0, 0}, new Shape(1, 2)),
            manager.zeros(new Shape(1, 2, 4), DataType.FLOAT64));
    NDList easyHard =
        new NDList(
            manager.create(new double[] {Math.log(99), 0, 0, 0}, new Shape(1, 2, 2)),
            manager.zeros(new Shape(1, 2, 4), DataType.FLOAT64));
    LossBreakdown b = new SsdLoss(focal(FocalLossConfig.NO_ALPHA, 2)).breakdown(labels, easyHard);
    double expected = 1e-4 * -Math.log(0.99) + 0.25 * Math.log(2);
    assertThat(b.negClassLoss()[0]).isCloseTo(expected, within(TOL));
    assertThat(b.nPositive()).isZero();
    assertThat(b.totalLoss()[0]).as("divided by max(1, 0)").isCloseTo(expected, within(TOL));
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    Random rnd = new Random(11);
    int anchors = 6;
    int classes = 3;
    SsdLoss loss = new SsdLoss(focal(0.25, 2));
    NDList[] in = randomInputs(rnd, 1, anchors, classes, DataType.FLOAT64);
    NDArray logits = in[1].get(0);
    NDArray offsets = in[1].get(1);
    logits.setRequiresGradient(true);
    offsets.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      gc.backward(loss.evaluate(in[0], new NDList(logits, offsets)));
    }
    double[] analytic = logits.getGradient().toDoubleArray();
    double[] offsetGrad = offsets.getGradient().toDoubleArray();
    double[] base = logits.toDoubleArray();
    double[] baseOffsets = offsets.toDoubleArray();
    double h = 1e-6;
    for (int i = 0; i < base.length; i++) {
      double numeric =
          (lossAt(loss, in[0], perturbed(base, i, h), baseOffsets, anchors, classes)
                  - lossAt(loss, in[0], perturbed(base, i, -h), baseOffsets, anchors, classes))
              / (2 * h);
      assertThat(analytic[i]).as("d loss / d logit %d", i).isCloseTo(numeric, within(1e-6));
    }
    for (int i = 0; i < baseOffsets.length; i++) {
      double numeric =
          (lossAt(loss, in[0], base, perturbed(baseOffsets, i, h), anchors, classes)
                  - lossAt(loss, in[0], base, perturbed(baseOffsets, i, -h), anchors, classes))
              / (2 * h);
      assertThat(offsetGrad[i]).as("d loss / d offset %d", i).isCloseTo(numeric, within(1e-6));
    }
  }

  @Test
  void gradientIsFiniteForACertainAnchorAtFractionalGamma() {
    // p_t rounds to 1: (1 − p_t)^0.5 would have an infinite derivative without the floor.
    NDList labels =
        new NDList(
            manager.create(new long[] {1}, new Shape(1, 1)),
            manager.zeros(new Shape(1, 1, 4), DataType.FLOAT32));
    NDArray logits = manager.create(new float[] {-50, 50}, new Shape(1, 1, 2));
    logits.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      gc.backward(
          new SsdLoss(focal(0.25, 0.5))
              .evaluate(labels, new NDList(logits, manager.zeros(new Shape(1, 1, 4)))));
    }
    for (float g : logits.getGradient().toFloatArray()) {
      assertThat(Float.isFinite(g)).isTrue();
    }
  }

  @Test
  void configRejectsOutOfRangeValuesNamingTheField() {
    assertThatThrownBy(() -> new FocalLossConfig(1.5, 2, 0.01))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alpha")
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> new FocalLossConfig(0.25, -1, 0.01))
        .hasMessageContaining("gamma")
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> new FocalLossConfig(0.25, 2, 1))
        .hasMessageContaining("priorProbability");
    assertThatThrownBy(() -> new FocalLossConfig(Double.NaN, 2, 0.01))
        .hasMessageContaining("alpha");
    assertThat(FocalLossConfig.defaults())
        .isEqualTo(new FocalLossConfig(0.25, 2, 0.01))
        .matches(FocalLossConfig::balanced);
    assertThat(new FocalLossConfig(-1, 2, 0).balanced()).isFalse();
  }

  private double lossAt(
      SsdLoss loss, NDList labels, double[] logits, double[] offsets, int anchors, int classes) {
    try (NDManager m = manager.newSubManager()) {
      NDList p =
          new NDList(
              m.create(logits, new Shape(1, anchors, classes)),
              m.create(offsets, new Shape(1, anchors, 4)));
      return loss.evaluate(labels, p).getDouble();
    }
  }

  private static double[] perturbed(double[] values, int index, double delta) {
    double[] copy = values.clone();
    copy[index] += delta;
    return copy;
  }

  /** Random logits and offsets; ids cycle positive, background, background, neutral, ... */
  private NDList[] randomInputs(Random rnd, int batch, int anchors, int classes, DataType dtype) {
    long[] ids = new long[batch * anchors];
    double[] logits = new double[batch * anchors * classes];
    double[] offsets = new double[batch * anchors * 4];
    double[] targets = new double[batch * anchors * 4];
    for (int a = 0; a < ids.length; a++) {
      ids[a] =
          switch (a % 4) {
            case 0 -> 1 + (a / 4) % (classes - 1);
            case 3 -> -1;
            default -> 0;
          };
    }
    for (int i = 0; i < logits.length; i++) {
      logits[i] = 2 * rnd.nextGaussian();
    }
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = rnd.nextGaussian();
      targets[i] = 1.5 * rnd.nextGaussian();
    }
    NDList labels =
        new NDList(
            manager.create(ids, new Shape(batch, anchors)),
            manager.create(targets, new Shape(batch, anchors, 4)).toType(dtype, false));
    NDList predictions =
        new NDList(
            manager.create(logits, new Shape(batch, anchors, classes)).toType(dtype, false),
            manager.create(offsets, new Shape(batch, anchors, 4)).toType(dtype, false));
    return new NDList[] {labels, predictions};
  }
}
