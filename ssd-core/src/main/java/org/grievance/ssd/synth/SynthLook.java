package org.grievance.ssd.synth;

import java.util.Locale;

/**
 * The lighting of a synthetic dataset. A model trained on one look and shown another meets a domain
 * shift, as a detector trained on daytime photos does when citizens start sending evening ones: the
 * register's learning-loop demonstration relies on it.
 */
public enum SynthLook {
  /** Daylight: the scenes as the quickstart trains on them. */
  DAY,
  /**
   * Dusk under sodium street lamps: every colour pulled towards orange (blue almost gone), the
   * scene darker and flatter, with heavier sensor grain. Shapes and boxes are unchanged.
   */
  DUSK;

  /** The look's name in options and files: {@code day} or {@code dusk}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code day} or {@code dusk} (any case). */
  public static SynthLook parse(String text) {
    for (SynthLook l : values()) {
      if (l.word().equalsIgnoreCase(text.strip())) {
        return l;
      }
    }
    throw new IllegalArgumentException("look must be day or dusk, not '" + text + "'");
  }
}
