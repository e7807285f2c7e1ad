package org.grievance.ssd.register.api;

/** One category of a grievance; {@code score} is null when an official set it. */
public record Category(String name, Double score) {}
