package org.grievance.ssd.register.store;

/** A grievance whose review priority is still to be computed, with what it is computed from. */
public record PendingPriority(long id, int imageWidth, int imageHeight, String detectionsJson) {}
