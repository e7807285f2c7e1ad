package org.grievance.ssd.loss;

import java.util.Arrays;

/**
 * The parts of one {@link SsdLoss} evaluation, copied to the host for tests and training logs.
 * Per-item arrays have one entry per batch item and use the reference's names.
 *
 * @param posClassLoss Σ cross-entropy over the item's positive anchors (under the focal loss: Σ
 *     α-weighted focal loss)
 * @param negClassLoss Σ cross-entropy over the item's selected hard negatives (under the focal
 *     loss: Σ (1 − α)-weighted focal loss over all its background anchors)
 * @param classLoss {@code posClassLoss + negClassLoss}
 * @param locLoss Σ smooth-L1 over the item's positive anchors
 * @param totalLoss the reference's per-item output {@code (classLoss + alpha·locLoss) / max(1,
 *     nPositive) · B}; its mean is the scalar {@link SsdLoss#evaluate} returns
 * @param nPositive positive anchors in the whole batch
 * @param nNegLosses negative anchors with a non-zero loss (the mining candidates), whole batch
 * @param nNegativeKeep hard negatives kept (summed over images under per-image mining; every
 *     background anchor under the focal loss)
 * @param selectedNegatives flat indices {@code b·N + n} of the kept negatives, ascending
 */
public record LossBreakdown(
    double[] posClassLoss,
    double[] negClassLoss,
    double[] classLoss,
    double[] locLoss,
    double[] totalLoss,
    long nPositive,
    long nNegLosses,
    long nNegativeKeep,
    long[] selectedNegatives) {

  /** Copies the arrays so the record stays immutable. */
  public LossBreakdown {
    posClassLoss = posClassLoss.clone();
    negClassLoss = negClassLoss.clone();
    classLoss = classLoss.clone();
    locLoss = locLoss.clone();
    totalLoss = totalLoss.clone();
    selectedNegatives = selectedNegatives.clone();
  }

  @Override
  public double[] posClassLoss() {
    return posClassLoss.clone();
  }

  @Override
  public double[] negClassLoss() {
    return negClassLoss.clone();
  }

  @Override
  public double[] classLoss() {
    return classLoss.clone();
  }

  @Override
  public double[] locLoss() {
    return locLoss.clone();
  }

  @Override
  public double[] totalLoss() {
    return totalLoss.clone();
  }

  @Override
  public long[] selectedNegatives() {
    return selectedNegatives.clone();
  }

  /** Batch size. */
  public int batchSize() {
    return totalLoss.length;
  }

  /** Mean of {@link #totalLoss()}: the value a training loop reports (no regularisation). */
  public double meanLoss() {
    return Arrays.stream(totalLoss).average().orElse(0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LossBreakdown other
        && Arrays.equals(posClassLoss, other.posClassLoss)
        && Arrays.equals(negClassLoss, other.negClassLoss)
        && Arrays.equals(classLoss, other.classLoss)
        && Arrays.equals(locLoss, other.locLoss)
        && Arrays.equals(totalLoss, other.totalLoss)
        && nPositive == other.nPositive
        && nNegLosses == other.nNegLosses
        && nNegativeKeep == other.nNegativeKeep
        && Arrays.equals(selectedNegatives, other.selectedNegatives);
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(totalLoss);
    h = 31 * h + Long.hashCode(nPositive);
    h = 31 * h + Long.hashCode(nNegativeKeep);
    return 31 * h + Arrays.hashCode(selectedNegatives);
  }

  @Override
  public String toString() {
    return String.format(
        "LossBreakdown{mean=%.6g, nPositive=%d, nNegLosses=%d, nNegativeKeep=%d, class=%s, loc=%s}",
        meanLoss(),
        nPositive,
        nNegLosses,
        nNegativeKeep,
        Arrays.toString(classLoss),
        Arrays.toString(locLoss));
  }
}
