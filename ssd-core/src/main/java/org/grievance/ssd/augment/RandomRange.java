package org.grievance.ssd.augment;

/**
 * A random jitter: a value drawn from {@code U(lower, upper)}, applied with probability {@code
 * prob}.
 */
public record RandomRange(double lower, double upper, double prob) {
  public RandomRange {
    Randoms.ordered("random range", lower, upper);
    Randoms.probability("random range prob", prob);
  }

  RandomRange withProb(double p) {
    return new RandomRange(lower, upper, p);
  }
}
