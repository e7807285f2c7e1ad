/**
 * The SSD multibox training loss: softmax cross-entropy on positive anchors and on hard-mined
 * negative anchors, plus smooth-L1 localisation on positive anchors, normalised by the number of
 * positives; optionally the focal loss on every non-neutral anchor instead of the mined
 * cross-entropy ({@link org.grievance.ssd.loss.FocalLossConfig}). Built from DJL {@code NDArray}
 * operations so that it differentiates on any engine and plugs into DJL training as an {@link
 * ai.djl.training.loss.Loss}.
 */
package org.grievance.ssd.loss;
