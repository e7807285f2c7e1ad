package org.grievance.ssd.synth;

import java.awt.Color;
import java.util.SplittableRandom;

/** The per-image random source with the few draws the painters need. Not thread-safe. */
final class Rng {
  private final SplittableRandom random;

  Rng(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** Uniform in [lo, hi). */
  double uniform(double lo, double hi) {
    return lo + (hi - lo) * random.nextDouble();
  }

  /** Log-uniform in [lo, hi), both positive. */
  double logUniform(double lo, double hi) {
    return Math.exp(uniform(Math.log(lo), Math.log(hi)));
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  int intIn(int lo, int hi) {
    return lo + random.nextInt(hi - lo + 1);
  }

  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  double gaussian() {
    return random.nextGaussian();
  }

  /** Either +1 or -1. */
  int sign() {
    return random.nextBoolean() ? 1 : -1;
  }

  <T> T pick(T[] items) {
    return items[random.nextInt(items.length)];
  }

  /** A colour of random hue with saturation and brightness drawn from the given ranges. */
  Color hsb(double satLo, double satHi, double briLo, double briHi) {
    return new Color(
        Color.HSBtoRGB(
            (float) random.nextDouble(),
            (float) uniform(satLo, satHi),
            (float) uniform(briLo, briHi)));
  }

  /** Any colour at all. */
  Color anyColor() {
    return hsb(0, 1, 0.1, 1);
  }

  /** SplitMix64 finaliser: a well-mixed 64-bit value from a 64-bit input. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
