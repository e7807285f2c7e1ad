package org.grievance.ssd.register.store;

/**
 * The boxes an official saved for a grievance's photo: {@code boxesJson} the JSON array as stored
 * (pixels of the displayed photo), {@code reviewed} whether it is finished (training data) or work
 * in progress; times as ISO-8601 instants, {@code reviewedAt}/{@code reviewedBy} null unless
 * reviewed.
 */
public record StoredAnnotation(
    String boxesJson,
    boolean reviewed,
    String updatedAt,
    String updatedBy,
    String reviewedAt,
    String reviewedBy) {}
