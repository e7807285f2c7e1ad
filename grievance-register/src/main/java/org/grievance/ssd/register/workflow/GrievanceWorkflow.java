package org.grievance.ssd.register.workflow;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.api.Category;
import org.grievance.ssd.register.api.DuplicateLink;
import org.grievance.ssd.register.api.Stats;
import org.grievance.ssd.register.store.GrievanceRepository;
import org.grievance.ssd.register.store.GrievanceState;
import org.grievance.ssd.register.store.ListQuery;
import org.grievance.ssd.register.store.Located;
import org.grievance.ssd.register.store.NewGrievance;
import org.grievance.ssd.register.store.PhotoRef;
import org.grievance.ssd.register.store.StoredGrievance;
import org.grievance.ssd.register.store.SummaryPage;

/**
 * What may happen to grievances: a submission opens one and links it to nearby open ones of a
 * common category; officials move its status along {@link Status}, correct its categories, comment
 * and merge duplicates, and every change lands in the audit trail. Each operation is one
 * transaction, so a grievance appears with its categories, duplicate links and first audit event,
 * or not at all, and a refused change leaves nothing behind. Refusals are {@link
 * RegisterException}s.
 */
public final class GrievanceWorkflow {
  /** Actor recorded for submissions. */
  public static final String CITIZEN = "citizen";

  private final Database db;
  private final GrievanceRepository store = new GrievanceRepository();
  private final double duplicateRadiusMeters;

  /**
   * @param duplicateRadiusMeters grievances of a common category this close are linked as possible
   *     duplicates; 0 or less links none
   */
  public GrievanceWorkflow(Database db, double duplicateRadiusMeters) {
    this.db = db;
    this.duplicateRadiusMeters = duplicateRadiusMeters;
  }

  /** Stores a new, open grievance and links it to nearby active ones; returns its id. */
  public long create(NewGrievance g) throws SQLException {
    return db.inTransaction(
        c -> {
          OffsetDateTime now = GrievanceRepository.now();
          long id = store.insert(c, g, Status.OPEN.wire(), now);
          if (g.latitude() != null && g.longitude() != null) {
            linkDuplicates(c, id, g.latitude(), g.longitude(), g.categories().keySet());
          }
          store.audit(c, id, now, CITIZEN, "created", null, Status.OPEN.wire(), null);
          return id;
        });
  }

  /**
   * Links grievance {@code id} to active, unmerged grievances sharing a category within the radius:
   * a bounding box in SQL narrows the candidates, the haversine distance decides. Longitudes are
   * not wrapped at ±180° (no city straddles the antimeridian's 50 m).
   */
  private void linkDuplicates(
      Connection c, long id, double lat, double lon, Collection<String> categories)
      throws SQLException {
    if (categories.isEmpty() || duplicateRadiusMeters <= 0) {
      return;
    }
    double dLat = GeoDistance.latitudeDegrees(duplicateRadiusMeters);
    double dLon = GeoDistance.longitudeDegrees(duplicateRadiusMeters, lat);
    Map<Long, Double> found = new TreeMap<>();
    for (Located other :
        store.workItemsInBox(
            c, id, activeStatuses(), categories, lat - dLat, lat + dLat, lon - dLon, lon + dLon)) {
      double d = GeoDistance.meters(lat, lon, other.latitude(), other.longitude());
      if (d <= duplicateRadiusMeters) {
        found.put(other.id(), d);
      }
    }
    if (found.isEmpty()) {
      return;
    }
    List<DuplicateLink> links = new ArrayList<>();
    found.forEach((other, d) -> links.add(new DuplicateLink(other, d)));
    store.insertDuplicateLinks(c, id, links);
  }

  private static List<String> activeStatuses() {
    List<String> out = new ArrayList<>();
    for (Status s : Status.values()) {
      if (s.isActive()) {
        out.add(s.wire());
      }
    }
    return out;
  }

  /** The grievance with its categories, reports, duplicates and history. */
  public Optional<StoredGrievance> find(long id) throws SQLException {
    return db.read(c -> store.find(c, id));
  }

  /** Where the photo of a grievance is ({@code annotated}: the annotated PNG). */
  public Optional<PhotoRef> photo(long id, boolean annotated) throws SQLException {
    return db.read(c -> store.photo(c, id, annotated));
  }

  /** The numeric id of the grievance with this tracking id. */
  public Optional<Long> idOf(String trackingId) throws SQLException {
    return db.read(c -> store.idOf(c, trackingId));
  }

  /** The tracking id of grievance {@code id}. */
  public Optional<String> trackingId(long id) throws SQLException {
    return db.read(c -> store.trackingId(c, id));
  }

  /** Status and merge target of grievance {@code id}. */
  public Optional<GrievanceState> state(long id) throws SQLException {
    return db.read(c -> store.state(c, id));
  }

  /**
   * Gives grievances stored before tracking ids existed their tracking id, once, at start-up (the
   * migration cannot: neither database has a portable random-string function); returns how many.
   */
  public int assignTrackingIds() throws SQLException {
    return db.inTransaction(store::assignTrackingIds);
  }

  /** Every stored photo hash (originals and annotated), for consistency checks. */
  public List<String> photoHashes() throws SQLException {
    return db.read(store::photoHashes);
  }

  /** A page of grievances matching {@code q}, newest first. */
  public SummaryPage list(ListQuery q) throws SQLException {
    return db.read(c -> store.list(c, q));
  }

  /** Counts by status (every status listed) and category. */
  public Stats stats() throws SQLException {
    List<String> statuses = new ArrayList<>();
    for (Status s : Status.values()) {
      statuses.add(s.wire());
    }
    return db.read(c -> store.stats(c, statuses));
  }

  /**
   * Applies an official's change in one transaction and records every change in the audit trail. A
   * merge comes first, then the status (which the reports merged into this one follow), then the
   * categories; a patch with only a comment records the comment.
   *
   * @param allowedCategories category names an official may set
   * @return the grievance after the change
   */
  public StoredGrievance patch(long id, Patch p, String actor, Set<String> allowedCategories)
      throws SQLException {
    if (p.isEmpty()) {
      throw RegisterException.invalid(
          "nothing to change: give status, categories, comment or mergeInto");
    }
    return db.inTransaction(
        c -> {
          OffsetDateTime now = GrievanceRepository.now();
          GrievanceState row =
              store.lock(c, id).orElseThrow(() -> RegisterException.notFound("no grievance " + id));
          Status current = Status.parse(row.status());
          boolean changed = false;
          if (p.mergeInto() != null) {
            merge(c, row, p.mergeInto(), actor, p.comment(), now);
            changed = true;
          }
          if (p.status() != null) {
            if (row.mergedInto() != null) {
              throw RegisterException.conflict(
                  "grievance "
                      + id
                      + " is merged into "
                      + row.mergedInto()
                      + "; change the status of that one");
            }
            if (!current.canMoveTo(p.status())) {
              throw RegisterException.conflict(
                  "status cannot change from "
                      + current.wire()
                      + " to "
                      + p.status().wire()
                      + (current.next().isEmpty()
                          ? " (" + current.wire() + " is final)"
                          : "; allowed: " + wires(current.next())));
            }
            setStatus(c, id, current, p.status(), actor, p.comment(), now);
            for (GrievanceState report : store.reportStates(c, id)) {
              setStatus(
                  c,
                  report.id(),
                  Status.parse(report.status()),
                  p.status(),
                  actor,
                  "follows #" + id,
                  now);
            }
            changed = true;
          }
          if (p.categories() != null) {
            setCategories(c, id, p.categories(), allowedCategories, actor, p.comment(), now);
            changed = true;
          }
          if (!changed) {
            store.audit(c, id, now, actor, "comment", null, null, p.comment());
          }
          store.touch(c, id, now);
          return store.find(c, id).orElseThrow();
        });
  }

  private void setStatus(
      Connection c,
      long id,
      Status from,
      Status to,
      String actor,
      String comment,
      OffsetDateTime now)
      throws SQLException {
    if (from == to) {
      return;
    }
    store.setStatus(c, id, to.wire(), now);
    store.audit(c, id, now, actor, "status", from.wire(), to.wire(), comment);
  }

  private void setCategories(
      Connection c,
      long id,
      List<String> categories,
      Set<String> allowed,
      String actor,
      String comment,
      OffsetDateTime now)
      throws SQLException {
    if (categories.isEmpty()) {
      throw RegisterException.invalid(
          "categories must not be empty (use [\"" + Tagging.UNTAGGED + "\"] for none)");
    }
    Set<String> next = new LinkedHashSet<>();
    for (String cat : categories) {
      if (cat == null || !allowed.contains(cat)) {
        throw RegisterException.invalid(
            "unknown category '" + cat + "': expected one of " + new TreeSet<>(allowed));
      }
      next.add(cat);
    }
    List<String> before = new ArrayList<>();
    for (Category cat : store.categories(c, id)) {
      before.add(cat.name());
    }
    store.replaceCategories(c, id, next);
    store.audit(
        c, id, now, actor, "categories", String.join(",", before), String.join(",", next), comment);
  }

  /**
   * Merges {@code row} into {@code target}. Reports already merged into {@code row} move along, so
   * merges never chain: a work item's reports all point at it directly.
   */
  private void merge(
      Connection c,
      GrievanceState row,
      long target,
      String actor,
      String comment,
      OffsetDateTime now)
      throws SQLException {
    long id = row.id();
    if (target == id) {
      throw RegisterException.invalid("a grievance cannot be merged into itself");
    }
    if (row.mergedInto() != null) {
      throw RegisterException.conflict(
          "grievance " + id + " is already merged into " + row.mergedInto());
    }
    GrievanceState t =
        store
            .lock(c, target)
            .orElseThrow(
                () -> RegisterException.notFound("no grievance " + target + " to merge into"));
    if (t.mergedInto() != null) {
      throw RegisterException.conflict(
          "grievance "
              + target
              + " is itself merged into "
              + t.mergedInto()
              + "; merge into that one");
    }
    store.setMergedInto(c, id, target, now);
    store.audit(c, id, now, actor, "merged_into", null, Long.toString(target), comment);
    for (long moved : store.reports(c, id)) {
      store.setMergedInto(c, moved, target, now);
      store.audit(
          c, moved, now, actor, "merged_into", Long.toString(id), Long.toString(target), comment);
    }
    store.audit(c, target, now, actor, "report_merged", null, Long.toString(id), comment);
  }

  private static String wires(Set<Status> statuses) {
    List<String> out = new ArrayList<>();
    for (Status s : Status.values()) {
      if (statuses.contains(s)) {
        out.add(s.wire());
      }
    }
    return String.join(", ", out);
  }
}
