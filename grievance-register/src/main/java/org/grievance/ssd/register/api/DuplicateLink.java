package org.grievance.ssd.register.api;

/** A possible duplicate: another grievance of a common category within the radius. */
public record DuplicateLink(long id, double distanceMeters) {}
