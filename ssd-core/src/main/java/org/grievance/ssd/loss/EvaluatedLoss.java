package org.grievance.ssd.loss;

import ai.djl.ndarray.NDArray;

/**
 * A loss value for back-propagation together with its host-side breakdown, from one evaluation (so
 * a training loop can log the parts without computing the loss twice).
 *
 * @param loss scalar, owned by the manager of the class logits; the caller closes it
 * @param breakdown the parts of {@code loss}
 */
public record EvaluatedLoss(NDArray loss, LossBreakdown breakdown) {}
