package org.grievance.ssd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Chooses the hard negatives: the largest negative classification losses, batch-wide or per image.
 * Works on detached values and returns a mask, so the choice itself carries no gradient.
 */
final class HardNegativeMiner {
  private final SsdLossConfig config;

  HardNegativeMiner(SsdLossConfig config) {
    this.config = config;
  }

  /**
   * The mining result.
   *
   * @param mask {@code (B, N)} boolean, true for kept negatives
   * @param nNegLosses candidates (negatives with a loss > 0) in the batch
   * @param nKeep kept negatives in the batch
   */
  record Selection(NDArray mask, long nNegLosses, long nKeep) {}

  /**
   * @param negLosses {@code (B, N)} detached loss of every negative anchor, 0 for anchors that are
   *     not negatives (a negative whose loss is exactly 0 is no candidate, as in the reference)
   * @param positivesPerImage {@code (B)} int64 positive counts
   * @param nPositive total positives in the batch
   */
  Selection select(NDArray negLosses, NDArray positivesPerImage, long nPositive) {
    NDArray candidates = negLosses.gt(0).toType(DataType.INT64, false);
    return switch (config.mining()) {
      case BATCH -> selectBatch(negLosses, candidates, nPositive);
      case PER_IMAGE -> selectPerImage(negLosses, candidates, positivesPerImage);
    };
  }

  private Selection selectBatch(NDArray negLosses, NDArray candidates, long nPositive) {
    long nNegLosses = candidates.sum().getLong();
    long k =
        Math.min(Math.max((long) config.negPosRatio() * nPositive, config.nNegMin()), nNegLosses);
    NDArray perRow = negLosses.getManager().create(new long[] {k}, new Shape(1, 1));
    NDArray mask = largestPerRow(negLosses.reshape(1, -1), perRow, k).reshape(negLosses.getShape());
    return new Selection(mask, nNegLosses, k);
  }

  private Selection selectPerImage(
      NDArray negLosses, NDArray candidates, NDArray positivesPerImage) {
    NDArray nNegPerImage = candidates.sum(new int[] {1}, true);
    NDArray k =
        positivesPerImage
            .reshape(-1, 1)
            .mul(config.negPosRatio())
            .maximum(config.nNegMin())
            .minimum(nNegPerImage);
    long kMax = k.max().getLong();
    NDArray mask = largestPerRow(negLosses, k, kMax);
    return new Selection(mask, nNegPerImage.sum().getLong(), k.sum().getLong());
  }

  /**
   * Marks the {@code k[r]} largest entries of each row of {@code values} (all > 0 by the callers'
   * choice of k). At the boundary, equal values prefer the lower index, like TF {@code top_k}: all
   * entries above the k-th largest value are taken, then entries equal to it in index order until
   * the row has k.
   *
   * @param values {@code (R, M)}
   * @param k {@code (R, 1)} int64, each in {@code [0, M]}
   * @param kMax the largest entry of {@code k}
   */
  private static NDArray largestPerRow(NDArray values, NDArray k, long kMax) {
    if (kMax == 0) {
      return values.getManager().zeros(values.getShape(), DataType.BOOLEAN);
    }
    NDArray top = values.topK(Math.toIntExact(kMax), 1, true, true).get(0);
    NDArray kth = top.gather(k.sub(1).maximum(0), 1);
    NDArray above = values.gt(kth);
    NDArray atKth = values.eq(kth).toType(DataType.INT64, false);
    NDArray remaining = k.sub(above.toType(DataType.INT64, false).sum(new int[] {1}, true));
    NDArray ties = atKth.gt(0).logicalAnd(atKth.cumSum(1).lte(remaining));
    return above.logicalOr(ties).logicalAnd(k.gt(0));
  }
}
