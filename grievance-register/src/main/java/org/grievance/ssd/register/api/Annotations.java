package org.grievance.ssd.register.api;

import java.util.List;

/**
 * The boxes of a grievance's photo as the officials' review sees them. {@code source} is {@code
 * official} once an official saved boxes, else {@code detector}: the detections at or above their
 * tag threshold, clipped to the photo, offered as the starting proposal ({@code reviewed} false, no
 * {@code updated*}/{@code reviewed*} fields). {@code reviewedAt}/{@code reviewedBy} only when
 * reviewed; times are ISO-8601 instants.
 */
public record Annotations(
    String trackingId,
    String source,
    boolean reviewed,
    int imageWidth,
    int imageHeight,
    String model,
    List<LabelledBox> boxes,
    String updatedAt,
    String updatedBy,
    String reviewedAt,
    String reviewedBy) {
  /** {@code source} of boxes an official saved. */
  public static final String OFFICIAL = "official";

  /** {@code source} of the detector's proposal. */
  public static final String DETECTOR = "detector";
}
