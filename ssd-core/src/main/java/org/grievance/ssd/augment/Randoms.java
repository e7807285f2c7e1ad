package org.grievance.ssd.augment;

import java.util.random.RandomGenerator;

/** The reference's random draws, over a caller-supplied generator. */
final class Randoms {
  private Randoms() {}

  /** The reference's trigger: {@code p ~ U[0,1)} and fire iff {@code p >= 1 - prob}. */
  static boolean fires(RandomGenerator rng, double prob) {
    return rng.nextDouble() >= 1.0 - prob;
  }

  /**
   * {@code U[lower, upper)}; unlike {@code nextDouble(a, b)} also accepts {@code lower == upper}.
   */
  static double uniform(RandomGenerator rng, double lower, double upper) {
    return lower + (upper - lower) * rng.nextDouble();
  }

  /** A uniform integer in {@code [lower, upper]} (both inclusive). */
  static int intInclusive(RandomGenerator rng, int lower, int upper) {
    return lower == upper ? lower : rng.nextInt(lower, upper + 1);
  }

  /** Validates a probability field. */
  static double probability(String field, double prob) {
    if (!(prob >= 0 && prob <= 1)) {
      throw new IllegalArgumentException(field + " must be a probability in [0, 1], got " + prob);
    }
    return prob;
  }

  /** Validates that {@code lower <= upper}. */
  static void ordered(String what, double lower, double upper) {
    if (!(lower <= upper)) {
      throw new IllegalArgumentException(
          what + ": lower bound " + lower + " must not exceed upper bound " + upper);
    }
  }
}
