package org.grievance.ssd.loss;

/** Where hard negatives compete for the {@code negPosRatio × positives} slots. */
public enum NegativeMining {
  /**
   * The reference's rule (ssd_keras): negative losses of the whole batch are flattened and the
   * {@code k = min(max(negPosRatio · positives_in_batch, nNegMin), nonZeroNegatives_in_batch)}
   * largest are kept, so an image without objects can contribute negatives because another image
   * has positives. The default, for numerical parity with the reference.
   */
  BATCH,
  /**
   * The SSD paper's rule: every image keeps its own {@code k_b = min(max(negPosRatio · positives_b,
   * nNegMin), nonZeroNegatives_b)} largest negative losses. Normalisation is still by the positives
   * of the whole batch.
   */
  PER_IMAGE
}
