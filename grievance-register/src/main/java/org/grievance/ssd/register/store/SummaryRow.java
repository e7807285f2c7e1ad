package org.grievance.ssd.register.store;

import java.util.List;

/**
 * One grievance of a list: its row, its category names best first, and {@code reports}, the number
 * of reports it stands for (itself and those merged into it).
 */
public record SummaryRow(
    long id,
    String trackingId,
    String createdAt,
    String status,
    String description,
    Double latitude,
    Double longitude,
    String contact,
    List<String> categories,
    Long mergedInto,
    int reports,
    Double reviewPriority,
    boolean reviewed) {}
