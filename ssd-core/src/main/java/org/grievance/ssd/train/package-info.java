/**
 * The training loop, independent of the concrete model and data pipeline: a {@link
 * org.grievance.ssd.train.BatchSource} delivers encoded batches, a DJL {@link ai.djl.Model} maps
 * images to class logits and box offsets, and {@link org.grievance.ssd.train.Trainer} runs epochs
 * with a learning-rate schedule, plateau reduction, early stopping, a time budget, validation,
 * atomic checkpoints, a CSV log, loss curves and resumption of killed runs. The data pipeline
 * ({@code train.loader}) plugs in as a batch source, and the detector's wiring ({@code training})
 * sits above both; neither is known here.
 */
package org.grievance.ssd.train;
