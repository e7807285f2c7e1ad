/**
 * The register's rules: {@link org.grievance.ssd.register.workflow.GrievanceWorkflow} (submissions,
 * duplicate links, status changes, merges, category corrections, each one transaction), the {@link
 * org.grievance.ssd.register.workflow.Status} life cycle, {@link
 * org.grievance.ssd.register.workflow.Tagging} (detections to categories, at the {@link
 * org.grievance.ssd.register.workflow.TagThresholds} of each class), the distances that decide
 * duplicates and the area grid whose locks serialise submissions of one place. Refusals are {@link
 * org.grievance.ssd.register.workflow.RegisterException}s of a kind (invalid, not found, conflict,
 * stale), which the HTTP layer turns into status codes; nothing here knows HTTP or URLs.
 */
package org.grievance.ssd.register.workflow;
