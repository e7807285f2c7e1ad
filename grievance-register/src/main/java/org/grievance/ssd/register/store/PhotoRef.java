package org.grievance.ssd.register.store;

/** Where a stored photo is (its SHA-256 in the photo store) and its media type. */
public record PhotoRef(String sha256, String mediaType) {}
