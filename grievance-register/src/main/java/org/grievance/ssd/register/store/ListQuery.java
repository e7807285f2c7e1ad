package org.grievance.ssd.register.store;

import java.time.OffsetDateTime;

/**
 * Which grievances to list; null fields do not filter. {@code status} is a wire name, {@code to} is
 * exclusive, {@code page} counts from 1.
 */
public record ListQuery(
    String category, String status, OffsetDateTime from, OffsetDateTime to, int page, int size) {}
