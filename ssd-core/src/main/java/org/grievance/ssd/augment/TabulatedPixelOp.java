package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/**
 * A {@link PixelOp} that can describe itself to a {@link PixelPlan} instead of rewriting a float
 * buffer: {@link Photometric} runs a sequence made only of these on uint8 pixels through lookup
 * tables, with results identical to the float path.
 */
interface TabulatedPixelOp extends PixelOp {
  /**
   * Draws from {@code rng} exactly what {@link #apply} would draw, in the same order, and records
   * the resulting pixel mapping in {@code plan}.
   */
  void plan(PixelPlan plan, RandomGenerator rng);
}
