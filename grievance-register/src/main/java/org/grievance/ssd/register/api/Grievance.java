package org.grievance.ssd.register.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A grievance as the API shows it. {@code detections} are the stored detection objects of the
 * {@code ssd-detections/1} schema. Officials see everything; the public sees no {@code id}, {@code
 * contact}, {@code mergedInto}, {@code reports} or {@code possibleDuplicates} (those fields are
 * null, so left out), a location rounded to about 100 m, and a history without names or comments.
 */
public record Grievance(
    Long id,
    String trackingId,
    String createdAt,
    String updatedAt,
    String status,
    String description,
    Double latitude,
    Double longitude,
    String contact,
    List<Category> categories,
    int imageWidth,
    int imageHeight,
    String model,
    JsonNode detections,
    Long mergedInto,
    List<Long> reports,
    List<DuplicateLink> possibleDuplicates,
    List<AuditEvent> history,
    Map<String, String> links) {}
