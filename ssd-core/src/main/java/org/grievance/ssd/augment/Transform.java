package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/**
 * One augmentation step on an image and its labels. Deterministic steps ignore {@code rng}.
 * Implementations are immutable and thread-safe; all randomness comes from {@code rng}.
 */
@FunctionalInterface
public interface Transform {
  /**
   * Transforms one sample.
   *
   * @return the transformed sample, or {@code null} when the step rejects the sample (only steps
   *     documented as able to fail, e.g. {@link RandomPatch} with {@code canFail}); a {@link
   *     Sequence} stops there and the sample must be dropped
   */
  Labeled apply(Labeled in, RandomGenerator rng);
}
