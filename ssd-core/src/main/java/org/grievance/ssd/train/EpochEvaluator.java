package org.grievance.ssd.train;

import ai.djl.Model;
import java.io.IOException;
import java.util.OptionalDouble;

/**
 * Computes the validation mAP after an epoch, before the log row is written. It decides itself on
 * which epochs to run (e.g. every N epochs) and returns empty on the others.
 */
@FunctionalInterface
public interface EpochEvaluator {
  /**
   * @param epoch the 1-based epoch just trained
   * @param model the model with the epoch's weights (run it with {@code training = false})
   */
  OptionalDouble meanAveragePrecision(int epoch, Model model) throws IOException;
}
