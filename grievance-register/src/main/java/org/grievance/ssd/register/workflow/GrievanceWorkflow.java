package org.grievance.ssd.register.workflow;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.api.Category;
import org.grievance.ssd.register.api.DuplicateLink;
import org.grievance.ssd.register.api.Stats;
import org.grievance.ssd.register.store.GrievanceRepository;
import org.grievance.ssd.register.store.GrievanceState;
import org.grievance.ssd.register.store.ListQuery;
import org.grievance.ssd.register.store.Located;
import org.grievance.ssd.register.store.NewGrievance;
import org.grievance.ssd.register.store.PendingPriority;
import org.grievance.ssd.register.store.PhotoRef;
import org.grievance.ssd.register.store.StoredAnnotation;
import org.grievance.ssd.register.store.StoredGrievance;
import org.grievance.ssd.register.store.SummaryPage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What may happen to grievances: a submission opens one and links it to nearby open ones of a
 * common category; officials move its status along {@link Status}, correct its categories, comment
 * and merge duplicates, and every change lands in the audit trail. Each operation is one
 * transaction, so a grievance appears with its categories, duplicate links and first audit event,
 * or not at all, and a refused change leaves nothing behind. Refusals are {@link
 * RegisterException}s.
 *
 * <p>Concurrency: the database, not this JVM, serialises what must not interleave, so several
 * servers may share one database. A submission first locks the {@link AreaGrid} cells around its
 * location, so of two submissions of one place the later sees the earlier and links to it. A change
 * locks the grievance rows it decides on (the grievance, and the merge target) in ascending id
 * order, so two crossed merges wait for each other instead of deadlocking; the one that waits then
 * sees the other's merge and is refused. A transaction that still loses a race (deadlock, lock
 * timeout) is run again by {@link Database#inTransaction}; when that keeps failing the change is a
 * conflict, never a server error. A change may also come with a test of the grievance as the client
 * last saw it (an HTTP If-Match): checked under the lock, it is refused as stale when the grievance
 * has changed since.
 */
public final class GrievanceWorkflow {
  private static final Logger LOG = LoggerFactory.getLogger(GrievanceWorkflow.class);

  /** Actor recorded for submissions. */
  public static final String CITIZEN = "citizen";

  private final Database db;
  private final GrievanceRepository store = new GrievanceRepository();
  private final double duplicateRadiusMeters;
  private final AreaGrid areas;

  /**
   * @param duplicateRadiusMeters grievances of a common category this close are linked as possible
   *     duplicates; 0 or less links none
   */
  public GrievanceWorkflow(Database db, double duplicateRadiusMeters) {
    this.db = db;
    this.duplicateRadiusMeters = duplicateRadiusMeters;
    this.areas = duplicateRadiusMeters > 0 ? new AreaGrid(duplicateRadiusMeters) : null;
  }

  /** Stores a new, open grievance and links it to nearby active ones; returns its id. */
  public long create(NewGrievance g) throws SQLException {
    boolean located = g.latitude() != null && g.longitude() != null;
    List<String> cells =
        located && areas != null ? areas.cellsAround(g.latitude(), g.longitude()) : List.of();
    return transaction(
        "another submission nearby was being stored at the same moment; submit again",
        c -> {
          store.lockAreas(c, cells);
          OffsetDateTime now = GrievanceRepository.now();
          long id = store.insert(c, g, Status.OPEN.wire(), now);
          if (located) {
            linkDuplicates(c, id, g.latitude(), g.longitude(), g.categories().keySet());
          }
          store.audit(c, id, now, CITIZEN, "created", null, Status.OPEN.wire(), null);
          return id;
        });
  }

  /**
   * Runs {@code work} in one transaction, retried on transient conflicts; one that keeps losing its
   * race is refused as a conflict with {@code busy} as the message.
   */
  private <T> T transaction(String busy, Database.Work<T> work) throws SQLException {
    try {
      return db.inTransaction(work);
    } catch (SQLException e) {
      if (Database.isTransient(e)) {
        throw RegisterException.conflict(busy);
      }
      throw e;
    }
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
    GeoDistance.Box box = GeoDistance.around(lat, lon, duplicateRadiusMeters);
    Map<Long, Double> found = new TreeMap<>();
    for (Located other :
        store.workItemsInBox(
            c,
            id,
            activeStatuses(),
            categories,
            box.minLatitude(),
            box.maxLatitude(),
            box.minLongitude(),
            box.maxLongitude())) {
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

  /** Grievances given their review priority per transaction of the start-up backfill. */
  static final int PRIORITY_BATCH = 200;

  /**
   * Gives grievances stored before review priorities existed their {@link ReviewPriority}, computed
   * from their stored detections under {@code thresholds}, once, at start-up (the migration cannot:
   * SQL does not read the detections JSON); returns how many. Works in batches of {@link
   * #PRIORITY_BATCH}, each its own transaction, so a large register is not read into memory at once
   * and an interrupted start keeps what was done. A row whose stored detections cannot be read
   * keeps no priority (it sorts last in the queue) rather than stopping the start.
   */
  public int assignReviewPriorities(ReviewPriority priority, TagThresholds thresholds)
      throws SQLException {
    int assigned = 0;
    long after = 0;
    while (true) {
      long from = after;
      List<PendingPriority> batch = db.read(c -> store.pendingPriorities(c, from, PRIORITY_BATCH));
      if (batch.isEmpty()) {
        return assigned;
      }
      Map<Long, Double> priorities = new TreeMap<>();
      for (PendingPriority p : batch) {
        try {
          List<Detection> detections =
              StoredDetections.parse(p.id(), p.detectionsJson(), p.imageWidth(), p.imageHeight());
          priorities.put(p.id(), priority.of(detections, thresholds));
        } catch (IllegalStateException e) {
          LOG.warn("grievance {} keeps no review priority: {}", p.id(), e.getMessage());
        }
      }
      db.inTransaction(
          c -> {
            for (Map.Entry<Long, Double> e : priorities.entrySet()) {
              store.fillReviewPriority(c, e.getKey(), e.getValue());
            }
            return null;
          });
      assigned += priorities.size();
      after = batch.get(batch.size() - 1).id();
    }
  }

  /** The boxes an official saved for grievance {@code id}; empty when none has. */
  public Optional<StoredAnnotation> annotation(long id) throws SQLException {
    return db.read(c -> store.annotation(c, id));
  }

  /**
   * Saves an official's boxes for the photo of grievance {@code id} (replacing any saved before)
   * and records the change in the audit trail as field {@code annotations}, from and to a short
   * summary ({@code detector} before the first save, else the box count by class and whether it was
   * reviewed).
   *
   * @param boxesJson the boxes as a JSON array, already checked against the photo and the classes
   * @param ifCurrent null, or a test the grievance and its saved boxes (if any) must pass for the
   *     change to apply; failing it is {@link RegisterException.Kind#STALE}
   * @return the boxes as saved
   */
  public StoredAnnotation saveAnnotation(
      long id,
      String boxesJson,
      boolean reviewed,
      String actor,
      BiPredicate<StoredGrievance, Optional<StoredAnnotation>> ifCurrent)
      throws SQLException {
    return transaction(
        "grievance " + id + " was being changed by another request at the same moment; try again",
        c -> {
          OffsetDateTime now = GrievanceRepository.now();
          if (store.lock(c, id).isEmpty()) {
            throw RegisterException.notFound("no grievance " + id);
          }
          Optional<StoredAnnotation> before = store.annotation(c, id);
          if (ifCurrent != null && !ifCurrent.test(store.find(c, id).orElseThrow(), before)) {
            throw RegisterException.stale(
                "the boxes of grievance "
                    + id
                    + " have changed since they were read; reload them and make the change again");
          }
          store.saveAnnotation(c, id, boxesJson, reviewed, actor, now);
          store.audit(
              c,
              id,
              now,
              actor,
              "annotations",
              before.map(a -> AnnotationSummary.of(a.boxesJson(), a.reviewed())).orElse("detector"),
              AnnotationSummary.of(boxesJson, reviewed),
              null);
          store.touch(c, id, now);
          return store.annotation(c, id).orElseThrow();
        });
  }

  /** Every stored photo hash (originals and annotated), for consistency checks. */
  public List<String> photoHashes() throws SQLException {
    return db.read(store::photoHashes);
  }

  /** A page of grievances matching {@code q}, newest first or in review-queue order. */
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
   * categories; a patch with only a comment records the comment. A merge and a status change do not
   * go together: the merged report takes the status of the grievance it joins.
   *
   * @param allowedCategories category names an official may set
   * @param ifCurrent null, or a test the grievance as it is must pass for the change to apply (it
   *     has not changed since the client read it); failing it is {@link
   *     RegisterException.Kind#STALE}
   * @return the grievance after the change
   */
  public StoredGrievance patch(
      long id,
      Patch p,
      String actor,
      Set<String> allowedCategories,
      Predicate<StoredGrievance> ifCurrent)
      throws SQLException {
    if (p.isEmpty()) {
      throw RegisterException.invalid(
          "nothing to change: give status, categories, comment or mergeInto");
    }
    if (p.mergeInto() != null && p.status() != null) {
      throw RegisterException.invalid(
          "give mergeInto or status, not both: a merged report follows the status of the"
              + " grievance it is merged into; change that one's status instead");
    }
    if (p.mergeInto() != null && p.mergeInto() == id) {
      throw RegisterException.invalid("a grievance cannot be merged into itself");
    }
    return transaction(
        "grievance " + id + " was being changed by another request at the same moment; try again",
        c -> {
          OffsetDateTime now = GrievanceRepository.now();
          Map<Long, GrievanceState> rows = lockInIdOrder(c, id, p.mergeInto());
          GrievanceState row = rows.get(id);
          if (row == null) {
            throw RegisterException.notFound("no grievance " + id);
          }
          if (ifCurrent != null && !ifCurrent.test(store.find(c, id).orElseThrow())) {
            throw RegisterException.stale(
                "grievance "
                    + id
                    + " has changed since it was read; reload it and make the change again");
          }
          boolean changed = false;
          if (p.mergeInto() != null) {
            GrievanceState target = rows.get(p.mergeInto());
            if (target == null) {
              throw RegisterException.notFound("no grievance " + p.mergeInto() + " to merge into");
            }
            merge(c, row, target, actor, p.comment(), now);
            changed = true;
          }
          if (p.status() != null) {
            changeStatus(c, row, p.status(), actor, p.comment(), now);
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

  /**
   * Locks the rows of {@code id} and {@code other} (when not null) in ascending id order, the order
   * every change locks in; returns the states of those that exist.
   */
  private Map<Long, GrievanceState> lockInIdOrder(Connection c, long id, Long other)
      throws SQLException {
    TreeSet<Long> ids = new TreeSet<>();
    ids.add(id);
    if (other != null) {
      ids.add(other);
    }
    Map<Long, GrievanceState> out = new HashMap<>();
    for (long each : ids) {
      store.lock(c, each).ifPresent(s -> out.put(each, s));
    }
    return out;
  }

  /** Moves the work item {@code row} to status {@code to}; its reports follow ({@link #follow}). */
  private void changeStatus(
      Connection c, GrievanceState row, Status to, String actor, String comment, OffsetDateTime now)
      throws SQLException {
    long id = row.id();
    if (row.mergedInto() != null) {
      throw RegisterException.conflict(
          "grievance "
              + id
              + " is merged into "
              + row.mergedInto()
              + "; change the status of that one");
    }
    Status current = Status.parse(row.status());
    if (!current.canMoveTo(to)) {
      throw RegisterException.conflict(
          "status cannot change from "
              + current.wire()
              + " to "
              + to.wire()
              + (current.next().isEmpty()
                  ? " (" + current.wire() + " is final)"
                  : "; allowed: " + wires(current.next())));
    }
    setStatus(c, id, current, to, actor, comment, now);
    for (GrievanceState report : store.reportStates(c, id)) {
      follow(c, report, to, id, actor, now);
    }
  }

  /**
   * Moves a report to its work item's new status {@code to}, where its own life cycle allows that
   * move. Merges keep every report at its work item's status, so each can make the same move; only
   * a report merged before these rules may lag behind, and it never moves backwards (a resolved
   * report is never reopened).
   */
  private void follow(
      Connection c,
      GrievanceState report,
      Status to,
      long workItem,
      String actor,
      OffsetDateTime now)
      throws SQLException {
    Status from = Status.parse(report.status());
    if (from.canMoveTo(to)) {
      setStatus(c, report.id(), from, to, actor, "follows #" + workItem, now);
    }
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
   * Merges {@code row} into {@code target}. Only active grievances take part (a finished one stays
   * as it was closed), and the merged one takes the target's status, so it may not be further along
   * than the target (an in-progress report does not go back to open). Reports already merged into
   * {@code row} move along, so merges never chain: a work item's reports all point at it directly.
   */
  private void merge(
      Connection c,
      GrievanceState row,
      GrievanceState target,
      String actor,
      String comment,
      OffsetDateTime now)
      throws SQLException {
    long id = row.id();
    long into = target.id();
    if (row.mergedInto() != null) {
      throw RegisterException.conflict(
          "grievance " + id + " is already merged into " + row.mergedInto());
    }
    if (target.mergedInto() != null) {
      throw RegisterException.conflict(
          "grievance "
              + into
              + " is itself merged into "
              + target.mergedInto()
              + "; merge into that one");
    }
    Status from = Status.parse(row.status());
    Status to = Status.parse(target.status());
    if (!from.isActive()) {
      throw RegisterException.conflict(
          "grievance "
              + id
              + " is "
              + from.wire()
              + ", which is final; only open or in-progress grievances are merged");
    }
    if (!to.isActive()) {
      throw RegisterException.conflict(
          "grievance "
              + into
              + " is "
              + to.wire()
              + ", which is final; merge into an open or in-progress grievance");
    }
    if (from != to && !from.canMoveTo(to)) {
      throw RegisterException.conflict(
          "grievance "
              + id
              + " is "
              + from.wire()
              + " and "
              + into
              + " is "
              + to.wire()
              + "; a merged report takes the status of the one it joins and cannot move back:"
              + " merge "
              + into
              + " into "
              + id
              + " instead");
    }
    store.setMergedInto(c, id, into, now);
    store.audit(c, id, now, actor, "merged_into", null, Long.toString(into), comment);
    follow(c, row, to, into, actor, now);
    for (GrievanceState moved : store.reportStates(c, id)) {
      store.setMergedInto(c, moved.id(), into, now);
      store.audit(
          c,
          moved.id(),
          now,
          actor,
          "merged_into",
          Long.toString(id),
          Long.toString(into),
          comment);
      follow(c, moved, to, into, actor, now);
    }
    store.touch(c, into, now);
    store.audit(c, into, now, actor, "report_merged", null, Long.toString(id), comment);
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
