package org.grievance.ssd.register.store;

import java.util.Map;

/**
 * What a submission stores. {@code categories}: name → best score (null when none), in tag order;
 * {@code detectionsJson}: the detections as JSON text, shown back as they are.
 */
public record NewGrievance(
    String description,
    Double latitude,
    Double longitude,
    String contact,
    String photoSha256,
    String photoType,
    String annotatedSha256,
    int imageWidth,
    int imageHeight,
    String modelName,
    String detectionsJson,
    Map<String, Double> categories) {}
