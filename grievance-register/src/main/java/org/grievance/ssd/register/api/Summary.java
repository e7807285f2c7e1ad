package org.grievance.ssd.register.api;

import java.util.List;
import java.util.Map;

/**
 * A row of the list; {@code reports} counts this one too. {@code id}, {@code contact} and {@code
 * mergedInto} only for officials; the public sees the location rounded. Officials also see {@code
 * reviewPriority} (the review queue's order, null until computed) and {@code reviewed} (whether an
 * official has reviewed the photo's boxes).
 */
public record Summary(
    Long id,
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
    Boolean reviewed,
    Map<String, String> links) {}
