package org.grievance.ssd.train;

import ai.djl.Model;

/**
 * Called after each epoch once its log row and checkpoints are written, so that whatever the
 * listener does (including throwing) leaves a consistent run directory behind. An exception ends
 * training and propagates to the caller.
 */
@FunctionalInterface
public interface EpochListener {
  /** The finished epoch's metrics and the model with its current weights. */
  void onEpochEnd(EpochReport report, Model model);
}
