package org.grievance.ssd.augment;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Applies transforms in order. Bug fixed
 * (docs/reference-behaviour.md#quirk-11-a-rejection-does-not-stop-the-chain): when a step rejects
 * the sample (returns {@code null}) the chain stops there and returns {@code null}; the reference
 * would feed the rejection into the later steps.
 */
public final class Sequence implements Transform {
  private final Transform[] steps;

  public Sequence(List<? extends Transform> steps) {
    this.steps = steps.toArray(new Transform[0]);
  }

  public Sequence(Transform... steps) {
    this(List.of(steps));
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    Labeled cur = in;
    for (Transform t : steps) {
      cur = t.apply(cur, rng);
      if (cur == null) {
        return null;
      }
    }
    return cur;
  }
}
