package org.grievance.ssd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import java.util.Objects;
import java.util.function.Function;

/**
 * SSD multibox loss with hard negative mining (reference: ssd_keras {@code SSDLoss}).
 *
 * <p>Inputs: {@code predictions = (classLogits (B,N,C+1), boxOffsets (B,N,4))}, raw logits and
 * offsets; {@code labels = (classIds (B,N), targetOffsets (B,N,4))}, class ids int32 or int64 with
 * 0 = background, {@code c > 0} = object class, -1 = neutral (in no loss term).
 *
 * <p>Per anchor: cross-entropy {@code -log_softmax(logits)[classId]} and {@code Σ smoothL1(target -
 * offset)} over the 4 offsets. Positives contribute both; the hard negatives chosen by {@link
 * NegativeMining} contribute their cross-entropy. The result is {@code Σ_b(class_b + alpha·loc_b) /
 * max(1, positives in batch)}: the batch mean of the reference's per-item output, which multiplies
 * by B so that Keras' mean gives this value.
 *
 * <p>The reference takes probabilities and clamps them at 1e-15 before the log; working on logits
 * with log-softmax is stable without a clamp. One consequence: a negative has zero loss (and is no
 * mining candidate) only when its background probability rounds to 1 in the working precision,
 * which happens in float32 where the reference's clamped probabilities of 1 do, but not always in
 * float64.
 *
 * <p>The choice of hard negatives is made on detached values; the losses of the chosen anchors
 * carry gradients. Every intermediate array lives in a sub-manager closed before returning, so only
 * the result stays with the caller (attached to the manager of the class logits).
 */
public final class SsdLoss extends Loss {
  private final SsdLossConfig config;
  private final HardNegativeMiner miner;

  /** A loss named {@code "SsdLoss"}. */
  public SsdLoss(SsdLossConfig config) {
    this("SsdLoss", config);
  }

  /** A loss with a display name for DJL training listeners. */
  public SsdLoss(String name, SsdLossConfig config) {
    super(name);
    this.config = Objects.requireNonNull(config, "config must not be null");
    this.miner = new HardNegativeMiner(config);
  }

  /** The parameters this loss was built with. */
  public SsdLossConfig config() {
    return config;
  }

  /** The scalar loss (dtype of the class logits) for back-propagation. */
  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return compute(labels, predictions, Terms::scalar);
  }

  /** The parts of the loss, copied to the host; nothing stays attached to the inputs' managers. */
  public LossBreakdown breakdown(NDList labels, NDList predictions) {
    return compute(labels, predictions, Terms::breakdown);
  }

  /** The scalar loss and its breakdown from one computation. */
  public EvaluatedLoss evaluateWithBreakdown(NDList labels, NDList predictions) {
    return compute(labels, predictions, t -> new EvaluatedLoss(t.scalar(), t.breakdown()));
  }

  /**
   * Runs {@code finish} on the loss terms inside a scratch manager; any {@link NDArray} reachable
   * from its result that lives in the scratch manager must be one it returns directly ({@link
   * Terms#scalar()} re-attaches its result to the caller's manager).
   */
  private <T> T compute(NDList labels, NDList predictions, Function<Terms, T> finish) {
    MultiboxInputs in = MultiboxInputs.of(labels, predictions);
    NDManager owner = in.classLogits().getManager();
    try (NDManager scratch = owner.newSubManager()) {
      labels.tempAttach(scratch);
      predictions.tempAttach(scratch);
      return finish.apply(terms(in, owner));
    }
  }

  private Terms terms(MultiboxInputs in, NDManager owner) {
    DataType dtype = in.classLogits().getDataType();
    NDArray ids = in.checkedClassIds();
    NDArray positive = ids.gt(0);
    NDArray positiveWeight = positive.toType(dtype, false);
    NDArray negativeWeight = ids.eq(0).toType(dtype, false);

    // Neutral ids (-1) pick column 0; their terms are masked out below.
    NDArray classLoss =
        in.classLogits().logSoftmax(2).gather(ids.maximum(0).expandDims(2), 2).squeeze(2).neg();
    NDArray locLoss =
        smoothL1(in.targetOffsets().toType(dtype, false).sub(in.boxOffsets())).sum(new int[] {2});

    NDArray positivesPerImage = positive.toType(DataType.INT64, false).sum(new int[] {1});
    long nPositive = positivesPerImage.sum().getLong();
    HardNegativeMiner.Selection selection =
        miner.select(classLoss.stopGradient().mul(negativeWeight), positivesPerImage, nPositive);

    int[] anchorAxis = {1};
    NDArray posClass = classLoss.mul(positiveWeight).sum(anchorAxis);
    NDArray negClass = classLoss.mul(selection.mask().toType(dtype, false)).sum(anchorAxis);
    NDArray loc = locLoss.mul(positiveWeight).sum(anchorAxis);
    return new Terms(config, owner, posClass, negClass, loc, nPositive, selection);
  }

  /** Elementwise {@code 0.5·x²} where {@code |x| < 1}, else {@code |x| - 0.5}. */
  static NDArray smoothL1(NDArray x) {
    NDArray abs = x.abs();
    return NDArrays.where(abs.lt(1), x.square().mul(0.5), abs.sub(0.5));
  }

  /** Per-item sums (arrays of shape {@code (B)}) living in the scratch manager. */
  private record Terms(
      SsdLossConfig config,
      NDManager owner,
      NDArray posClass,
      NDArray negClass,
      NDArray loc,
      long nPositive,
      HardNegativeMiner.Selection selection) {

    long divisor() {
      return Math.max(1, nPositive);
    }

    NDArray perItemSum() {
      return posClass.add(negClass).add(loc.mul(config.alpha()));
    }

    NDArray scalar() {
      NDArray result = perItemSum().sum().div(divisor());
      result.attach(owner);
      return result;
    }

    LossBreakdown breakdown() {
      long batch = posClass.getShape().get(0);
      return new LossBreakdown(
          host(posClass),
          host(negClass),
          host(posClass.add(negClass)),
          host(loc),
          host(perItemSum().div(divisor()).mul(batch)),
          nPositive,
          selection.nNegLosses(),
          selection.nKeep(),
          selection.mask().flatten().nonzero().flatten().toLongArray());
    }

    private static double[] host(NDArray a) {
      return a.stopGradient().toType(DataType.FLOAT64, false).toDoubleArray();
    }
  }
}
