package org.grievance.ssd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import java.util.Objects;
import java.util.function.Function;
import org.grievance.ssd.engine.TensorConstants;

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
 * <p>With {@link SsdLossConfig#focal()} set, the classification term is instead Lin et al.'s focal
 * loss on every non-neutral anchor ({@link FocalLossConfig}), without mining; the normalisation by
 * the positives and the localisation term stay the same.
 *
 * <p>The choice of hard negatives is made on detached values; the losses of the chosen anchors
 * carry gradients. Every intermediate array lives in a sub-manager closed before returning, so only
 * the result stays with the caller (attached to the manager of the class logits).
 */
public final class SsdLoss extends Loss {
  /** Below this, {@code 1 − p_t} is clamped so that {@code (1 − p_t)^γ} has a finite gradient. */
  private static final double ONE_MINUS_PT_FLOOR = 1e-12;

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
    NDArray logPt =
        in.classLogits().logSoftmax(2).gather(ids.maximum(0).expandDims(2), 2).squeeze(2);
    NDArray locLoss =
        smoothL1(in.targetOffsets().toType(dtype, false).sub(in.boxOffsets())).sum(new int[] {2});

    NDArray positivesPerImage = positive.toType(DataType.INT64, false).sum(new int[] {1});
    long nPositive = positivesPerImage.sum().getLong();
    NDArray posClass;
    NDArray negClass;
    HardNegativeMiner.Selection selection;
    int[] anchorAxis = {1};
    if (config.usesFocalLoss()) {
      // Every non-neutral anchor, weighted α_t: alpha for objects, 1 − alpha for background.
      FocalLossConfig focal = config.focal();
      NDArray classLoss = focalTerm(logPt, focal);
      double posAlpha = focal.balanced() ? focal.alpha() : 1;
      double negAlpha = focal.balanced() ? 1 - focal.alpha() : 1;
      posClass = TensorConstants.times(classLoss.mul(positiveWeight).sum(anchorAxis), posAlpha);
      negClass = TensorConstants.times(classLoss.mul(negativeWeight).sum(anchorAxis), negAlpha);
      selection = allNegatives(ids, classLoss);
    } else {
      NDArray classLoss = logPt.neg();
      selection =
          miner.select(classLoss.stopGradient().mul(negativeWeight), positivesPerImage, nPositive);
      posClass = classLoss.mul(positiveWeight).sum(anchorAxis);
      negClass = classLoss.mul(selection.mask().toType(dtype, false)).sum(anchorAxis);
    }
    NDArray loc = locLoss.mul(positiveWeight).sum(anchorAxis);
    return new Terms(config, owner, posClass, negClass, loc, nPositive, selection);
  }

  /**
   * {@code −(1 − p_t)^γ · log p_t} per anchor (the α weights are applied by the caller). With
   * {@code γ = 0} the factor is left out, which is exactly the cross-entropy.
   */
  static NDArray focalTerm(NDArray logPt, FocalLossConfig focal) {
    NDArray ce = logPt.neg();
    if (focal.gamma() == 0) {
      return ce;
    }
    NDArray oneMinusPt = logPt.exp().neg().add(1);
    oneMinusPt = oneMinusPt.maximum(TensorConstants.scalarLike(oneMinusPt, ONE_MINUS_PT_FLOOR));
    return oneMinusPt.pow(TensorConstants.scalarLike(oneMinusPt, focal.gamma())).mul(ce);
  }

  /**
   * Under the focal loss every background anchor takes part: the "selection" is all of them, and
   * the candidates are those with a non-zero loss (as for mining).
   */
  private static HardNegativeMiner.Selection allNegatives(NDArray ids, NDArray classLoss) {
    NDArray negative = ids.eq(0);
    long count = negative.toType(DataType.INT64, false).sum().getLong();
    long nonZero =
        negative
            .logicalAnd(classLoss.stopGradient().gt(0))
            .toType(DataType.INT64, false)
            .sum()
            .getLong();
    return new HardNegativeMiner.Selection(negative, nonZero, count);
  }

  /** Elementwise {@code 0.5·x²} where {@code |x| < 1}, else {@code |x| - 0.5}. */
  static NDArray smoothL1(NDArray x) {
    NDArray abs = x.abs();
    return NDArrays.where(abs.lt(1), TensorConstants.times(x.square(), 0.5), abs.sub(0.5));
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
      return posClass.add(negClass).add(TensorConstants.times(loc, config.alpha()));
    }

    NDArray scalar() {
      NDArray sum = perItemSum().sum();
      NDArray result = sum.div(TensorConstants.scalarLike(sum, divisor()));
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
