package org.grievance.ssd.register.store;

import java.util.List;
import org.grievance.ssd.register.api.AuditEvent;
import org.grievance.ssd.register.api.Category;
import org.grievance.ssd.register.api.DuplicateLink;

/**
 * One grievance with everything stored about it but its photos: the row ({@code trackingId} the
 * public's name for it, see {@link TrackingIds}; times as ISO-8601 instants, {@code status} its
 * wire name, {@code contact} always), its categories best first, the reports merged into it, its
 * possible duplicates that are still their own work item, nearest first, and its audit trail in
 * order.
 */
public record StoredGrievance(
    long id,
    String trackingId,
    String createdAt,
    String updatedAt,
    String status,
    String description,
    Double latitude,
    Double longitude,
    String contact,
    int imageWidth,
    int imageHeight,
    String model,
    String detectionsJson,
    Long mergedInto,
    List<Category> categories,
    List<Long> reports,
    List<DuplicateLink> possibleDuplicates,
    List<AuditEvent> history) {}
