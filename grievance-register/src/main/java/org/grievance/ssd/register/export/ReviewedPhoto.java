package org.grievance.ssd.register.export;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A grievance whose boxes an official reviewed: its stored clean photo and what is in it.
 *
 * @param grievanceId the grievance
 * @param photoSha256 the stored clean photo in the register's photo store
 * @param width the stored photo's width in pixels
 * @param height the stored photo's height in pixels
 * @param reviewedAt when it was (last) marked reviewed
 * @param boxes the reviewed boxes; empty means "nothing to detect here"
 */
public record ReviewedPhoto(
    long grievanceId,
    String photoSha256,
    int width,
    int height,
    Instant reviewedAt,
    List<AnnotatedBox> boxes) {
  /** Validates the fields. */
  public ReviewedPhoto {
    Objects.requireNonNull(photoSha256, "photoSha256");
    Objects.requireNonNull(reviewedAt, "reviewedAt");
    boxes = List.copyOf(boxes);
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "grievance "
              + grievanceId
              + ": image size must be positive, got "
              + width
              + "x"
              + height);
    }
  }
}
