package org.grievance.ssd.augment;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * With probability {@code prob}: {@link Rotate} by an angle drawn uniformly from {@code angles}.
 */
public record RandomRotate(List<Integer> angles, double prob) implements Transform {
  public RandomRotate {
    if (angles.isEmpty()) {
      throw new IllegalArgumentException("rotation angles must not be empty");
    }
    for (int a : angles) {
      new Rotate(a); // validates
    }
    angles = List.copyOf(angles);
    Randoms.probability("rotate prob", prob);
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    if (!Randoms.fires(rng, prob)) {
      return in;
    }
    return new Rotate(angles.get(rng.nextInt(angles.size()))).apply(in, rng);
  }
}
