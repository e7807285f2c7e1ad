package org.grievance.ssd.register.store;

import java.time.OffsetDateTime;
import java.util.Collection;

/**
 * Which grievances to list; null fields do not filter. {@code statuses} are wire names, any of
 * which matches (empty: none does); {@code workItemsOnly} leaves out reports merged into another;
 * {@code to} is exclusive, {@code page} counts from 1.
 */
public record ListQuery(
    String category,
    Collection<String> statuses,
    boolean workItemsOnly,
    OffsetDateTime from,
    OffsetDateTime to,
    int page,
    int size) {}
