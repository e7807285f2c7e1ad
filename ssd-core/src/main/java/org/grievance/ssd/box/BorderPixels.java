package org.grievance.ssd.box;

/**
 * Whether the border pixels belong to a box. The constant {@link #delta()} is added to every {@code
 * max - min} difference, so that with {@link #INCLUDE} a box from pixel 0 to pixel 9 is 10 wide
 * (the Pascal VOC convention).
 */
public enum BorderPixels {
  /** Continuous coordinates: width = xmax - xmin. The default nearly everywhere. */
  HALF(0),
  /** Inclusive pixel coordinates: width = xmax - xmin + 1 (Pascal VOC). */
  INCLUDE(1),
  /** Exclusive pixel coordinates: width = xmax - xmin - 1. */
  EXCLUDE(-1);

  private final int delta;

  BorderPixels(int delta) {
    this.delta = delta;
  }

  /** The constant added to every {@code max - min} difference. */
  public int delta() {
    return delta;
  }

  /** Parses the reference's names ({@code half}, {@code include}, {@code exclude}). */
  public static BorderPixels parse(String name) {
    for (BorderPixels b : values()) {
      if (b.name().equalsIgnoreCase(name)) {
        return b;
      }
    }
    throw new IllegalArgumentException(
        "unknown border_pixels '" + name + "': expected half, include or exclude");
  }
}
