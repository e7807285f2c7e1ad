package org.grievance.ssd.synth;

import java.util.Locale;

/** The dataset splits, each written as {@code ImageSets/Main/<name>.txt}. */
public enum SynthSplit {
  TRAIN,
  VAL,
  TEST;

  /** Lower-case name used in file names and image ids. */
  public String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
