package org.grievance.ssd.synth;

/**
 * The civic-grievance object classes of the synthetic dataset. They differ in shape and texture;
 * colours are drawn at random per instance so colour alone never identifies a class.
 */
public enum SynthClass {
  /** Dark irregular blob with a speckled rough interior and a lighter rim. */
  POTHOLE("pothole"),
  /** A mound of small multi-coloured irregular pieces and bags. */
  GARBAGE("garbage"),
  /** A broken street light: tall thin tilted pole with an arm and a lamp head. */
  STREETLIGHT("streetlight"),
  /** A puddle with concentric ripple lines and wet streaks. */
  WATERLEAK("waterleak"),
  /** Tangled thick paint strokes on a wall-like rectangle. */
  GRAFFITI("graffiti");

  private final String label;

  SynthClass(String label) {
    this.label = label;
  }

  /** The VOC {@code <name>} of the class. */
  public String label() {
    return label;
  }
}
