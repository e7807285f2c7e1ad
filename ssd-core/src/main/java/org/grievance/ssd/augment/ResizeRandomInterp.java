package org.grievance.ssd.augment;

import java.util.List;
import java.util.random.RandomGenerator;

/** {@link Resize} with an interpolation mode drawn uniformly per call. */
public final class ResizeRandomInterp implements Transform {
  private final Resize resize;
  private final Interpolation[] modes;

  public ResizeRandomInterp(int height, int width, List<Interpolation> modes, BoxFilter boxFilter) {
    if (modes.isEmpty()) {
      throw new IllegalArgumentException("interpolation modes must not be empty");
    }
    this.resize = new Resize(height, width, modes.get(0), boxFilter);
    this.modes = modes.toArray(new Interpolation[0]);
  }

  /** All five modes, as the reference's default. */
  public ResizeRandomInterp(int height, int width, BoxFilter boxFilter) {
    this(height, width, List.of(Interpolation.values()), boxFilter);
  }

  @Override
  public Labeled apply(Labeled in, RandomGenerator rng) {
    return resize.resize(in, modes[rng.nextInt(modes.length)]);
  }
}
