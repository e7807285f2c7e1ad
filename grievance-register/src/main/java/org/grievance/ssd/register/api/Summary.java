package org.grievance.ssd.register.api;

import java.util.List;
import java.util.Map;

/** A row of the list; {@code contact} only to officials, {@code reports} counts this one too. */
public record Summary(
    long id,
    String createdAt,
    String status,
    String description,
    Double latitude,
    Double longitude,
    String contact,
    List<String> categories,
    Long mergedInto,
    int reports,
    Map<String, String> links) {}
