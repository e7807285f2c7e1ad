package org.grievance.ssd.register.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A grievance as the API shows it; {@code contact} only to officials. {@code detections} are the
 * stored detection objects of the {@code ssd-detections/1} schema.
 */
public record Grievance(
    long id,
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
