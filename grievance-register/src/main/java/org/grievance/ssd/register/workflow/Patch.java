package org.grievance.ssd.register.workflow;

import java.util.List;

/**
 * An official's change to a grievance; null fields stay as they are. {@code comment} goes with
 * every audit event the change makes.
 */
public record Patch(Status status, List<String> categories, String comment, Long mergeInto) {
  boolean isEmpty() {
    return status == null && categories == null && comment == null && mergeInto == null;
  }
}
