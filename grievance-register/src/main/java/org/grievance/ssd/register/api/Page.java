package org.grievance.ssd.register.api;

import java.util.List;

/** A page of the list, newest first; {@code page} counts from 1. */
public record Page(List<Summary> items, int page, int size, long total) {}
