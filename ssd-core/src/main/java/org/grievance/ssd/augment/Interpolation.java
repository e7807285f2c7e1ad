package org.grievance.ssd.augment;

import java.util.Locale;

/** Resampling kernels of {@link Resize}, named after OpenCV's interpolation flags. */
public enum Interpolation {
  NEAREST,
  LINEAR,
  CUBIC,
  AREA,
  LANCZOS4;

  /** Parses {@code nearest}, {@code linear}, {@code cubic}, {@code area}, {@code lanczos4}. */
  public static Interpolation parse(String name) {
    for (Interpolation i : values()) {
      if (i.name().toLowerCase(Locale.ROOT).equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "unknown interpolation '" + name + "': expected nearest, linear, cubic, area or lanczos4");
  }
}
