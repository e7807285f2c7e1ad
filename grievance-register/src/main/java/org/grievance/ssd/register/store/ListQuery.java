package org.grievance.ssd.register.store;

import java.time.OffsetDateTime;
import java.util.Collection;

/**
 * Which grievances to list; null fields do not filter. {@code statuses} are wire names, any of
 * which matches (empty: none does); {@code workItemsOnly} leaves out reports merged into another;
 * {@code to} is exclusive, {@code page} counts from 1; {@code review}, when not null, lists the
 * review queue instead (see {@link Review}).
 */
public record ListQuery(
    String category,
    Collection<String> statuses,
    boolean workItemsOnly,
    OffsetDateTime from,
    OffsetDateTime to,
    int page,
    int size,
    Review review) {

  /** Which side of the officials' review of the boxes to list. */
  public enum Review {
    /**
     * Not reviewed yet (no saved annotation, or one saved as work in progress), rejected grievances
     * left out (their photos are no training data), highest review priority first.
     */
    NEEDED,
    /** Reviewed, most recently reviewed first. */
    DONE
  }

  /** A plain list, newest first. */
  public ListQuery(
      String category,
      Collection<String> statuses,
      boolean workItemsOnly,
      OffsetDateTime from,
      OffsetDateTime to,
      int page,
      int size) {
    this(category, statuses, workItemsOnly, from, to, page, size, null);
  }
}
