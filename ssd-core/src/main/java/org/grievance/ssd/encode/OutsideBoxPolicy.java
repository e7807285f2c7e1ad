package org.grievance.ssd.encode;

/**
 * What the encoder does with a ground-truth box that does not overlap the image at all. The
 * reference matches such a box to anchor 0 (and may take anchor 0 away from another box); we never
 * do that.
 */
public enum OutsideBoxPolicy {
  /** Throw an {@link InvalidBoxException}. */
  REJECT,
  /** Leave the box out of the encoding and log a warning. */
  DROP_WITH_WARNING
}
