package org.grievance.ssd.register.workflow;

import java.util.Locale;
import java.util.Set;

/**
 * Where a grievance is in its life: {@code open → in_progress → resolved | rejected}; an open one
 * may also be rejected straight away (spam, not a civic problem). Resolved and rejected are final.
 */
public enum Status {
  OPEN,
  IN_PROGRESS,
  RESOLVED,
  REJECTED;

  /** The wire and database name: {@code open}, {@code in_progress}, ... */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name, or refuses it as invalid, listing the valid ones. */
  public static Status parse(String value) {
    for (Status s : values()) {
      if (s.wire().equals(value)) {
        return s;
      }
    }
    throw RegisterException.invalid(
        "unknown status '" + value + "': expected open, in_progress, resolved or rejected");
  }

  /** The statuses this one may move to. */
  public Set<Status> next() {
    return switch (this) {
      case OPEN -> Set.of(IN_PROGRESS, REJECTED);
      case IN_PROGRESS -> Set.of(RESOLVED, REJECTED);
      case RESOLVED, REJECTED -> Set.of();
    };
  }

  public boolean canMoveTo(Status target) {
    return next().contains(target);
  }

  /** Statuses a duplicate may be linked to (work not finished). */
  public boolean isActive() {
    return this == OPEN || this == IN_PROGRESS;
  }
}
