package org.grievance.ssd.register;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.grievance.ssd.register.api.AuditEvent;
import org.grievance.ssd.register.api.Grievance;
import org.grievance.ssd.register.api.Page;
import org.grievance.ssd.register.api.Summary;
import org.grievance.ssd.register.store.GrievanceState;
import org.grievance.ssd.register.store.ListQuery;
import org.grievance.ssd.register.store.StoredGrievance;
import org.grievance.ssd.register.store.SummaryPage;
import org.grievance.ssd.register.store.SummaryRow;
import org.grievance.ssd.register.workflow.GrievanceWorkflow;
import org.grievance.ssd.register.workflow.Status;

/**
 * Turns stored grievances into what the API shows, and decides what the public may see. Officials
 * see everything. The public sees a grievance by its tracking id only, its location rounded to
 * {@link #PUBLIC_DECIMALS} decimals (a grid of at most 111 m), its history with roles instead of
 * names and without comments (officials write those for each other), and none of: numeric ids,
 * contact, duplicates, merge targets. The public list holds the work items that are not rejected;
 * photos of rejected grievances and of reports merged into another are not public.
 */
final class GrievanceViews {
  /** Decimals of a public coordinate: 0.001° is 111 m of latitude, at most 111 m of longitude. */
  static final int PUBLIC_DECIMALS = 3;

  /** Audit events whose values are numeric ids, which the public does not see. */
  private static final Set<String> ID_VALUED_FIELDS = Set.of("merged_into", "report_merged");

  private GrievanceViews() {}

  static Grievance grievance(StoredGrievance g, boolean forOfficial) {
    JsonNode detections;
    try {
      detections = ApiJson.MAPPER.readTree(g.detectionsJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("grievance " + g.id() + " has malformed detections JSON", e);
    }
    return new Grievance(
        forOfficial ? g.id() : null,
        g.trackingId(),
        g.createdAt(),
        g.updatedAt(),
        g.status(),
        g.description(),
        coordinate(g.latitude(), forOfficial),
        coordinate(g.longitude(), forOfficial),
        forOfficial ? g.contact() : null,
        g.categories(),
        g.imageWidth(),
        g.imageHeight(),
        g.model(),
        detections,
        forOfficial ? g.mergedInto() : null,
        forOfficial ? g.reports() : null,
        forOfficial ? g.possibleDuplicates() : null,
        forOfficial ? g.history() : publicHistory(g.history()),
        GrievanceLinks.of(g.trackingId()));
  }

  static Page page(SummaryPage p, ListQuery q, boolean forOfficial) {
    List<Summary> items = new ArrayList<>();
    for (SummaryRow s : p.rows()) {
      items.add(
          new Summary(
              forOfficial ? s.id() : null,
              s.trackingId(),
              s.createdAt(),
              s.status(),
              s.description(),
              coordinate(s.latitude(), forOfficial),
              coordinate(s.longitude(), forOfficial),
              forOfficial ? s.contact() : null,
              s.categories(),
              forOfficial ? s.mergedInto() : null,
              s.reports(),
              forOfficial ? s.reviewPriority() : null,
              forOfficial ? s.reviewed() : null,
              GrievanceLinks.of(s.trackingId())));
    }
    return new Page(items, q.page(), q.size(), p.total());
  }

  /** A coordinate as a caller may see it: exact for officials, rounded for the public. */
  static Double coordinate(Double degrees, boolean forOfficial) {
    if (degrees == null || forOfficial) {
      return degrees;
    }
    double scale = Math.pow(10, PUBLIC_DECIMALS);
    return Math.round(degrees * scale) / scale;
  }

  /** The history without names (only the role), comments or ids of other grievances. */
  static List<AuditEvent> publicHistory(List<AuditEvent> history) {
    List<AuditEvent> out = new ArrayList<>();
    for (AuditEvent e : history) {
      boolean ids = ID_VALUED_FIELDS.contains(e.field());
      out.add(
          new AuditEvent(
              e.at(),
              GrievanceWorkflow.CITIZEN.equals(e.actor()) ? GrievanceWorkflow.CITIZEN : "official",
              e.field(),
              ids ? null : e.from(),
              ids ? null : e.to(),
              null));
    }
    return out;
  }

  /** Statuses of the grievances the public list shows: everything but rejected. */
  static List<String> publicStatuses() {
    List<String> out = new ArrayList<>();
    for (Status s : Status.values()) {
      if (s != Status.REJECTED) {
        out.add(s.wire());
      }
    }
    return out;
  }

  /**
   * Whether the public may see the photos of a grievance: not when it was rejected (spam, abuse, a
   * photo of someone) nor when it was merged into another (whose photos stand for it).
   */
  static boolean photosArePublic(GrievanceState s) {
    return s.mergedInto() == null && !Status.REJECTED.wire().equals(s.status());
  }
}
