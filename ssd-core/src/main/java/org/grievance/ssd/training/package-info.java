/**
 * Training an SSD detector: {@link org.grievance.ssd.training.DetectorTraining} wires a model
 * description's network, anchors, encoder, data loaders, augmentation, L2 term and validation mAP
 * into the generic loop of {@code train}; {@link org.grievance.ssd.training.FineTuning} starts a
 * run from a saved model's weights with frozen layers and per-layer rates, and {@link
 * org.grievance.ssd.training.AnchorChoice} fits anchors to a data set's boxes. The top of the
 * library: it uses inference (for the validation mAP) and training, and nothing here uses it.
 */
package org.grievance.ssd.training;
