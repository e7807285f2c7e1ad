package org.grievance.ssd.register.store;

/** A grievance and where it was reported, in degrees. */
public record Located(long id, double latitude, double longitude) {}
