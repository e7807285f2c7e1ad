package org.grievance.ssd.augment;

import java.util.List;
import java.util.random.RandomGenerator;

/** Applies one of its transforms, chosen uniformly per call. */
public final class OneOf implements Transform {
  private final Transform[] choices;

  public OneOf(List<? extends Transform> choices) {
    if (choices.isEmpty()) {
      throw new IllegalArgumentException("OneOf needs at least one transform");
    }
    this.choices = choices.toArray(new Transform[0]);
  }

  public OneOf(Transform... choices) {
    this(List.of(choices));
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    return choices[rng.nextInt(choices.length)].apply(in, rng);
  }
}
