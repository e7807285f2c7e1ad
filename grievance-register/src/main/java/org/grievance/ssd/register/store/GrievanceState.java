package org.grievance.ssd.register.store;

/**
 * What the workflow decides on: a grievance's status (wire name) and the grievance it is merged
 * into, null when it is its own work item.
 */
public record GrievanceState(long id, String status, Long mergedInto) {}
