package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/**
 * A photometric step: rewrites a float32 working image in place, never moves pixels (so labels are
 * unaffected). Deterministic ops ignore {@code rng}. Wrap a list of them in {@link Photometric} to
 * use them as a {@link Transform}.
 */
@FunctionalInterface
public interface PixelOp {
  void apply(FloatImage image, RandomGenerator rng);
}
