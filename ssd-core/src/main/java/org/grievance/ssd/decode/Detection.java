package org.grievance.ssd.decode;

import org.grievance.ssd.box.BoxChecks;

/**
 * One detected object: class, confidence and a corner box in the pixels of the frame the caller
 * asked for (or in the anchors' units when the decoder does not normalise).
 *
 * @param classId object class, {@code >= 1} (0 is the background and never reported)
 * @param className display name of the class
 * @param score the class probability that selected the box
 * @param xmin left edge
 * @param ymin top edge
 * @param xmax right edge
 * @param ymax bottom edge
 */
public record Detection(
    int classId,
    String className,
    double score,
    double xmin,
    double ymin,
    double xmax,
    double ymax) {

  /** Validates the class id and the name. */
  public Detection {
    BoxChecks.requireClassId(classId);
    if (className == null) {
      throw new IllegalArgumentException("className must not be null (classId " + classId + ")");
    }
  }
}
