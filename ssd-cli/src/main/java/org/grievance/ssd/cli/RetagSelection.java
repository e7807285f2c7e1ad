package org.grievance.ssd.cli;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.grievance.ssd.register.workflow.Status;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Which grievances a re-tag covers and at what threshold it tags: {@code --status}, {@code
 * --since}, {@code --tag-threshold}. A picocli mixin, so that {@code ssd register retag} and {@code
 * ssd batch retag} select the same grievances the same way.
 */
public final class RetagSelection {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description = "Only grievances with this status (open, in_progress, resolved, rejected).")
  String status;

  @Option(
      names = "--since",
      paramLabel = "DATE",
      description = "Only grievances submitted on or after this day, UTC (2025-05-31).")
  LocalDate since;

  @Option(
      names = "--tag-threshold",
      paramLabel = "P",
      description = "As for 'ssd serve': one tagging threshold for every class.")
  public Double tagThreshold;

  /** The status as the database stores it, or null for any; a bad one names {@code --status}. */
  public String statusWire() {
    if (status == null) {
      return null;
    }
    try {
      return Status.parse(status).wire();
    } catch (RuntimeException e) {
      throw new ParameterException(spec.commandLine(), "--status: " + e.getMessage());
    }
  }

  /** The start of {@code --since}'s day in UTC, or null for no lower bound. */
  public OffsetDateTime from() {
    return since == null ? null : since.atStartOfDay().atOffset(ZoneOffset.UTC);
  }

  /** The selection in words, for progress lines: "status open, since 2025-05-31". */
  public String describe() {
    String wire = statusWire();
    return "status " + (wire == null ? "any" : wire) + (since == null ? "" : ", since " + since);
  }
}
