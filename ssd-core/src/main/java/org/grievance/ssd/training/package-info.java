/**
 * Training an SSD detector: {@link org.grievance.ssd.training.DetectorTraining} wires a model
 * description's network, anchors, encoder, data loaders, augmentation, L2 term and validation mAP
 * into the generic loop of {@code train}; {@link org.grievance.ssd.training.TrainingRecipe} holds
 * each architecture's training defaults (variances, rates, schedule, augmentation, input size,
 * batch, run length), which {@link org.grievance.ssd.training.TrainingPlan} turns, with the data
 * ({@link org.grievance.ssd.training.TrainingData}), into a run: what {@code ssd train} and a Java
 * caller both train; {@link org.grievance.ssd.training.FineTuning} starts a run from a saved
 * model's weights with frozen layers and per-layer rates, and {@link
 * org.grievance.ssd.training.AnchorChoice} fits anchors to a data set's boxes. The top of the
 * library: it uses inference (for the validation mAP) and training, and nothing here uses it.
 */
package org.grievance.ssd.training;
