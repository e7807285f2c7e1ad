package org.grievance.ssd.register.api;

import java.util.Map;

/** Counts of work items (reports merged into another are counted with it) and reports. */
public record Stats(
    long workItems,
    long reports,
    Map<String, Long> byStatus,
    Map<String, Long> byCategory,
    Map<String, Map<String, Long>> byCategoryAndStatus) {}
