package org.grievance.ssd.augment;

import java.util.Locale;

/**
 * How a {@link BoxFilter} or {@link ImageValidator} decides that a box overlaps an image enough.
 */
public enum OverlapCriterion {
  /** The box centre lies in {@code [0, W−1] × [0, H−1]} (inclusive); bounds are ignored. */
  CENTER_POINT,
  /** {@code lower < IoU(box, [0, 0, W, H]) <= upper}. */
  IOU,
  /**
   * The part of the box inside the image is at least {@code lower} and at most {@code upper} of it.
   */
  AREA;

  /** Parses the reference's names {@code center_point}, {@code iou}, {@code area}. */
  public static OverlapCriterion parse(String name) {
    for (OverlapCriterion c : values()) {
      if (c.name().toLowerCase(Locale.ROOT).equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown overlap criterion '" + name + "': expected center_point, iou or area");
  }
}
