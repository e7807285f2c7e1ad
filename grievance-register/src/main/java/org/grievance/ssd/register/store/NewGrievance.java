package org.grievance.ssd.register.store;

import java.util.Map;

/**
 * What a submission stores. {@code categories}: name → best score (null when none), in tag order;
 * {@code detectionsJson}: the detections as JSON text, shown back as they are; {@code
 * reviewPriority}: its place in the review queue (see {@code workflow.ReviewPriority}), null when
 * not known yet (given at the next start-up); {@code modelVersionId}: the promoted model version
 * that tagged it, null when unknown.
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
    Map<String, Double> categories,
    Double reviewPriority,
    Long modelVersionId) {

  /**
   * A grievance tagged by a model without a recorded version, whose review priority is left for the
   * start-up backfill to compute.
   */
  public NewGrievance(
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
      Map<String, Double> categories) {
    this(
        description,
        latitude,
        longitude,
        contact,
        photoSha256,
        photoType,
        annotatedSha256,
        imageWidth,
        imageHeight,
        modelName,
        detectionsJson,
        categories,
        null,
        null);
  }
}
