package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/** {@link Flip} with probability {@code prob}. */
public record RandomFlip(Flip.Dim dim, double prob) implements Transform {
  public RandomFlip {
    java.util.Objects.requireNonNull(dim, "dim");
    Randoms.probability("flip prob", prob);
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    return Randoms.fires(rng, prob) ? new Flip(dim).apply(in, rng) : in;
  }
}
