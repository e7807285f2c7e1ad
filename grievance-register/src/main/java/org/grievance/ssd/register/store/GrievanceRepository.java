package org.grievance.ssd.register.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.grievance.ssd.register.api.AuditEvent;
import org.grievance.ssd.register.api.Category;
import org.grievance.ssd.register.api.DuplicateLink;
import org.grievance.ssd.register.api.Stats;

/**
 * The SQL of the grievance register. Each method runs on the caller's connection, so the caller
 * decides what one transaction holds; none of them commits.
 */
public final class GrievanceRepository {
  /** SQL state of a unique constraint violation, on H2 and PostgreSQL alike. */
  private static final String DUPLICATE_KEY = "23505";

  /** SQL state of a serialisation failure: the transaction may succeed when run again. */
  private static final String SERIALIZATION = "40001";

  /** The current time as stored: microseconds, what both databases keep, so it reads back equal. */
  public static OffsetDateTime now() {
    OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC);
    return t.withNano(t.getNano() / 1000 * 1000);
  }

  /**
   * Inserts a grievance with {@code status}, a new {@link TrackingIds tracking id} and its
   * categories; returns its id.
   */
  public long insert(Connection c, NewGrievance g, String status, OffsetDateTime now)
      throws SQLException {
    long id;
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO grievance (created_at, updated_at, status, description, latitude,"
                + " longitude, contact, photo_sha256, photo_type, annotated_sha256,"
                + " image_width, image_height, model_name, detections, tracking_id,"
                + " review_priority, model_version_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            new String[] {"id"})) {
      ins.setObject(1, now);
      ins.setObject(2, now);
      ins.setString(3, status);
      ins.setString(4, g.description());
      setDouble(ins, 5, g.latitude());
      setDouble(ins, 6, g.longitude());
      ins.setString(7, g.contact());
      ins.setString(8, g.photoSha256());
      ins.setString(9, g.photoType());
      ins.setString(10, g.annotatedSha256());
      ins.setInt(11, g.imageWidth());
      ins.setInt(12, g.imageHeight());
      ins.setString(13, g.modelName());
      ins.setString(14, g.detectionsJson());
      ins.setString(15, TrackingIds.next());
      setDouble(ins, 16, g.reviewPriority());
      if (g.modelVersionId() == null) {
        ins.setNull(17, Types.BIGINT);
      } else {
        ins.setLong(17, g.modelVersionId());
      }
      ins.executeUpdate();
      try (ResultSet keys = ins.getGeneratedKeys()) {
        keys.next();
        id = keys.getLong(1);
      }
    }
    insertCategories(c, id, g.categories());
    return id;
  }

  private static void insertCategories(Connection c, long id, Map<String, Double> categories)
      throws SQLException {
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO grievance_category (grievance_id, category, score) VALUES (?, ?, ?)")) {
      for (Map.Entry<String, Double> e : categories.entrySet()) {
        ins.setLong(1, id);
        ins.setString(2, e.getKey());
        setDouble(ins, 3, e.getValue());
        ins.addBatch();
      }
      ins.executeBatch();
    }
  }

  /** Replaces the categories of grievance {@code id} by {@code names}, without scores. */
  public void replaceCategories(Connection c, long id, Collection<String> names)
      throws SQLException {
    Map<String, Double> unscored = new LinkedHashMap<>();
    names.forEach(n -> unscored.put(n, null));
    replaceCategories(c, id, unscored);
  }

  /** Replaces the categories of grievance {@code id} by {@code scored} (name → score or null). */
  public void replaceCategories(Connection c, long id, Map<String, Double> scored)
      throws SQLException {
    try (PreparedStatement d =
        c.prepareStatement("DELETE FROM grievance_category WHERE grievance_id = ?")) {
      d.setLong(1, id);
      d.executeUpdate();
    }
    insertCategories(c, id, scored);
  }

  /**
   * Grievances other than {@code id} with a status in {@code statuses}, not merged into another, of
   * one of {@code categories}, and inside the latitude/longitude box (degrees, inclusive).
   */
  public List<Located> workItemsInBox(
      Connection c,
      long id,
      Collection<String> statuses,
      Collection<String> categories,
      double minLatitude,
      double maxLatitude,
      double minLongitude,
      double maxLongitude)
      throws SQLException {
    String sql =
        "SELECT DISTINCT g.id, g.latitude, g.longitude FROM grievance g"
            + " JOIN grievance_category c ON c.grievance_id = g.id"
            + " WHERE g.id <> ? AND g.status IN ("
            + placeholders(statuses.size())
            + ") AND g.merged_into IS NULL"
            + " AND g.latitude BETWEEN ? AND ? AND g.longitude BETWEEN ? AND ?"
            + " AND c.category IN ("
            + placeholders(categories.size())
            + ")";
    List<Object> params = new ArrayList<>();
    params.add(id);
    params.addAll(statuses);
    params.addAll(List.of(minLatitude, maxLatitude, minLongitude, maxLongitude));
    params.addAll(categories);
    return rows(c, sql, params, rs -> new Located(rs.getLong(1), rs.getDouble(2), rs.getDouble(3)));
  }

  /** Records that grievance {@code id} may duplicate each of {@code links}. */
  public void insertDuplicateLinks(Connection c, long id, List<DuplicateLink> links)
      throws SQLException {
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO duplicate_link (grievance_id, other_id, distance_m) VALUES (?, ?, ?)")) {
      for (DuplicateLink l : links) {
        ins.setLong(1, id);
        ins.setLong(2, l.id());
        ins.setDouble(3, l.distanceMeters());
        ins.addBatch();
      }
      ins.executeBatch();
    }
  }

  /** The grievance with its categories, reports, duplicates and history; empty when missing. */
  public Optional<StoredGrievance> find(Connection c, long id) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT id, created_at, updated_at, status, description, latitude, longitude,"
                + " contact, image_width, image_height, model_name, detections, merged_into,"
                + " tracking_id FROM grievance WHERE id = ?")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new StoredGrievance(
                id,
                rs.getString(14),
                time(rs, 2),
                time(rs, 3),
                rs.getString(4),
                rs.getString(5),
                getDouble(rs, 6),
                getDouble(rs, 7),
                rs.getString(8),
                rs.getInt(9),
                rs.getInt(10),
                rs.getString(11),
                rs.getString(12),
                getLong(rs, 13),
                categories(c, id),
                reports(c, id),
                duplicates(c, id),
                history(c, id)));
      }
    }
  }

  /** The original photo ({@code annotated}: the annotated PNG) of a grievance. */
  public Optional<PhotoRef> photo(Connection c, long id, boolean annotated) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT photo_sha256, photo_type, annotated_sha256 FROM grievance WHERE id = ?")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            annotated
                ? new PhotoRef(rs.getString(3), "image/png")
                : new PhotoRef(rs.getString(1), rs.getString(2)));
      }
    }
  }

  /** The numeric id of the grievance with this tracking id. */
  public Optional<Long> idOf(Connection c, String trackingId) throws SQLException {
    List<Long> ids =
        rows(
            c,
            "SELECT id FROM grievance WHERE tracking_id = ?",
            List.of(trackingId),
            rs -> rs.getLong(1));
    return ids.stream().findFirst();
  }

  /** The tracking id of grievance {@code id}. */
  public Optional<String> trackingId(Connection c, long id) throws SQLException {
    List<String> ids =
        rows(
            c,
            "SELECT tracking_id FROM grievance WHERE id = ?",
            List.of(id),
            rs -> rs.getString(1));
    return ids.stream().findFirst();
  }

  /** Status and merge target of a grievance, without locking it; empty when missing. */
  public Optional<GrievanceState> state(Connection c, long id) throws SQLException {
    return rows(
            c,
            "SELECT id, status, merged_into FROM grievance WHERE id = ?",
            List.of(id),
            rs -> new GrievanceState(rs.getLong(1), rs.getString(2), getLong(rs, 3)))
        .stream()
        .findFirst();
  }

  /**
   * Gives every grievance without a tracking id (stored before tracking ids existed) a new one;
   * returns how many.
   */
  public int assignTrackingIds(Connection c) throws SQLException {
    List<Long> missing =
        rows(
            c,
            "SELECT id FROM grievance WHERE tracking_id IS NULL",
            List.of(),
            rs -> rs.getLong(1));
    try (PreparedStatement u =
        c.prepareStatement(
            "UPDATE grievance SET tracking_id = ? WHERE id = ? AND tracking_id IS NULL")) {
      for (long id : missing) {
        u.setString(1, TrackingIds.next());
        u.setLong(2, id);
        u.addBatch();
      }
      u.executeBatch();
    }
    return missing.size();
  }

  /**
   * Up to {@code limit} grievances without a review priority (stored before priorities existed)
   * with an id above {@code afterId}, in id order: a batch of the start-up backfill.
   */
  public List<PendingPriority> pendingPriorities(Connection c, long afterId, int limit)
      throws SQLException {
    return rows(
        c,
        "SELECT id, image_width, image_height, detections FROM grievance"
            + " WHERE review_priority IS NULL AND id > ? ORDER BY id LIMIT ?",
        List.of(afterId, limit),
        rs -> new PendingPriority(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getString(4)));
  }

  /**
   * Sets the review priority of grievance {@code id} unless it has one (given meanwhile by another
   * server starting on the same database, or by a re-detection, which knows better).
   */
  public void fillReviewPriority(Connection c, long id, double priority) throws SQLException {
    try (PreparedStatement u =
        c.prepareStatement(
            "UPDATE grievance SET review_priority = ? WHERE id = ? AND review_priority IS NULL")) {
      u.setDouble(1, priority);
      u.setLong(2, id);
      u.executeUpdate();
    }
  }

  /** The boxes an official saved for grievance {@code id}; empty when none has. */
  public Optional<StoredAnnotation> annotation(Connection c, long id) throws SQLException {
    return rows(
            c,
            "SELECT boxes, reviewed, updated_at, updated_by, reviewed_at, reviewed_by"
                + " FROM annotation WHERE grievance_id = ?",
            List.of(id),
            rs ->
                new StoredAnnotation(
                    rs.getString(1),
                    rs.getBoolean(2),
                    time(rs, 3),
                    rs.getString(4),
                    time(rs, 5),
                    rs.getString(6)))
        .stream()
        .findFirst();
  }

  /**
   * Stores the boxes of grievance {@code id} as saved by {@code actor} {@code now}, replacing any
   * saved before; reviewed ones record {@code actor} and {@code now} as the review. The caller
   * holds the grievance's row lock, so no other transaction inserts the row meanwhile.
   */
  public void saveAnnotation(
      Connection c, long id, String boxesJson, boolean reviewed, String actor, OffsetDateTime now)
      throws SQLException {
    boolean exists = annotation(c, id).isPresent();
    String sql =
        exists
            ? "UPDATE annotation SET boxes = ?, reviewed = ?, updated_at = ?, updated_by = ?,"
                + " reviewed_at = ?, reviewed_by = ? WHERE grievance_id = ?"
            : "INSERT INTO annotation (boxes, reviewed, updated_at, updated_by, reviewed_at,"
                + " reviewed_by, grievance_id) VALUES (?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement u = c.prepareStatement(sql)) {
      u.setString(1, boxesJson);
      u.setBoolean(2, reviewed);
      u.setObject(3, now);
      u.setString(4, actor);
      if (reviewed) {
        u.setObject(5, now);
        u.setString(6, actor);
      } else {
        u.setNull(5, Types.TIMESTAMP_WITH_TIMEZONE);
        u.setNull(6, Types.VARCHAR);
      }
      u.setLong(7, id);
      u.executeUpdate();
    }
  }

  /** Every stored photo hash (originals and annotated), for consistency checks. */
  public List<String> photoHashes(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement q =
            c.prepareStatement("SELECT photo_sha256, annotated_sha256 FROM grievance");
        ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
        out.add(rs.getString(2));
      }
    }
    return out;
  }

  /** The categories of a grievance, best score first, those without a score last. */
  public List<Category> categories(Connection c, long id) throws SQLException {
    return rows(
        c,
        "SELECT category, score FROM grievance_category WHERE grievance_id = ?"
            + " ORDER BY score DESC NULLS LAST, category",
        List.of(id),
        rs -> new Category(rs.getString(1), getDouble(rs, 2)));
  }

  /** The ids of the reports merged into grievance {@code id}, in order. */
  public List<Long> reports(Connection c, long id) throws SQLException {
    List<Long> out = new ArrayList<>();
    for (GrievanceState r : reportStates(c, id)) {
      out.add(r.id());
    }
    return out;
  }

  /** The reports merged into grievance {@code id}, in id order, with their status. */
  public List<GrievanceState> reportStates(Connection c, long id) throws SQLException {
    return rows(
        c,
        "SELECT id, status, merged_into FROM grievance WHERE merged_into = ? ORDER BY id",
        List.of(id),
        rs -> new GrievanceState(rs.getLong(1), rs.getString(2), getLong(rs, 3)));
  }

  /** Links in either direction to grievances that are still their own work item. */
  private static List<DuplicateLink> duplicates(Connection c, long id) throws SQLException {
    return rows(
        c,
        "SELECT l.other_id, l.distance_m FROM duplicate_link l JOIN grievance g"
            + " ON g.id = l.other_id WHERE l.grievance_id = ? AND g.merged_into IS NULL"
            + " UNION SELECT l.grievance_id, l.distance_m FROM duplicate_link l"
            + " JOIN grievance g ON g.id = l.grievance_id WHERE l.other_id = ?"
            + " AND g.merged_into IS NULL ORDER BY 2, 1",
        List.of(id, id),
        rs -> new DuplicateLink(rs.getLong(1), rs.getDouble(2)));
  }

  private static List<AuditEvent> history(Connection c, long id) throws SQLException {
    return rows(
        c,
        "SELECT at, actor, field, from_value, to_value, comment FROM audit_event"
            + " WHERE grievance_id = ? ORDER BY id",
        List.of(id),
        rs ->
            new AuditEvent(
                time(rs, 1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6)));
  }

  /**
   * A page of grievances matching {@code q}: newest first, or in the order of the review queue when
   * {@code q.review()} is given (see {@link ListQuery.Review}).
   */
  public SummaryPage list(Connection c, ListQuery q) throws SQLException {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    String order = " ORDER BY g.created_at DESC, g.id DESC";
    if (q.review() == ListQuery.Review.NEEDED) {
      where.append(" AND (a.reviewed IS NULL OR a.reviewed = FALSE) AND g.status <> 'rejected'");
      order = " ORDER BY g.review_priority DESC NULLS LAST, g.created_at DESC, g.id DESC";
    } else if (q.review() == ListQuery.Review.DONE) {
      where.append(" AND a.reviewed = TRUE");
      order = " ORDER BY a.reviewed_at DESC, g.id DESC";
    }
    List<Object> params = new ArrayList<>();
    if (q.statuses() != null) {
      if (q.statuses().isEmpty()) {
        return new SummaryPage(List.of(), 0);
      }
      where.append(" AND g.status IN (").append(placeholders(q.statuses().size())).append(")");
      params.addAll(q.statuses());
    }
    if (q.workItemsOnly()) {
      where.append(" AND g.merged_into IS NULL");
    }
    if (q.category() != null) {
      where.append(
          " AND EXISTS (SELECT 1 FROM grievance_category c WHERE c.grievance_id = g.id"
              + " AND c.category = ?)");
      params.add(q.category());
    }
    if (q.from() != null) {
      where.append(" AND g.created_at >= ?");
      params.add(q.from());
    }
    if (q.to() != null) {
      where.append(" AND g.created_at < ?");
      params.add(q.to());
    }
    long total;
    String from = " FROM grievance g LEFT JOIN annotation a ON a.grievance_id = g.id";
    try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*)" + from + where)) {
      bind(s, params);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        total = rs.getLong(1);
      }
    }
    List<SummaryRow> heads = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT g.id, g.created_at, g.status, g.description, g.latitude, g.longitude,"
                + " g.contact, g.merged_into, g.tracking_id, g.review_priority, a.reviewed"
                + from
                + where
                + order
                + " LIMIT ? OFFSET ?")) {
      List<Object> all = new ArrayList<>(params);
      all.add(q.size());
      all.add((long) (q.page() - 1) * q.size());
      bind(s, all);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          heads.add(
              new SummaryRow(
                  rs.getLong(1),
                  rs.getString(9),
                  time(rs, 2),
                  rs.getString(3),
                  rs.getString(4),
                  getDouble(rs, 5),
                  getDouble(rs, 6),
                  rs.getString(7),
                  List.of(),
                  getLong(rs, 8),
                  1,
                  getDouble(rs, 10),
                  rs.getBoolean(11)));
        }
      }
    }
    return new SummaryPage(withCategoriesAndReports(c, heads), total);
  }

  /** {@code heads} with their category names and the number of reports each stands for. */
  private static List<SummaryRow> withCategoriesAndReports(Connection c, List<SummaryRow> heads)
      throws SQLException {
    if (heads.isEmpty()) {
      return heads;
    }
    List<Long> ids = new ArrayList<>();
    Map<Long, List<String>> categories = new HashMap<>();
    for (SummaryRow h : heads) {
      ids.add(h.id());
      categories.put(h.id(), new ArrayList<>());
    }
    String in = placeholders(ids.size());
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT grievance_id, category FROM grievance_category WHERE grievance_id IN ("
                + in
                + ") ORDER BY grievance_id, score DESC NULLS LAST, category")) {
      bind(q, ids);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          categories.get(rs.getLong(1)).add(rs.getString(2));
        }
      }
    }
    Map<Long, Integer> merged = new HashMap<>();
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT merged_into, COUNT(*) FROM grievance WHERE merged_into IN ("
                + in
                + ") GROUP BY merged_into")) {
      bind(q, ids);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          merged.put(rs.getLong(1), rs.getInt(2));
        }
      }
    }
    List<SummaryRow> out = new ArrayList<>();
    for (SummaryRow h : heads) {
      out.add(
          new SummaryRow(
              h.id(),
              h.trackingId(),
              h.createdAt(),
              h.status(),
              h.description(),
              h.latitude(),
              h.longitude(),
              h.contact(),
              categories.get(h.id()),
              h.mergedInto(),
              1 + merged.getOrDefault(h.id(), 0),
              h.reviewPriority(),
              h.reviewed()));
    }
    return out;
  }

  /**
   * Counts of work items by status (every one of {@code statuses}, zero when none), by category and
   * by both, and of all reports.
   */
  public Stats stats(Connection c, List<String> statuses) throws SQLException {
    Map<String, Long> byStatus = new LinkedHashMap<>();
    for (String s : statuses) {
      byStatus.put(s, 0L);
    }
    long workItems = 0;
    long reports;
    try (PreparedStatement q =
            c.prepareStatement(
                "SELECT status, COUNT(*) FROM grievance WHERE merged_into IS NULL"
                    + " GROUP BY status");
        ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        byStatus.put(rs.getString(1), rs.getLong(2));
        workItems += rs.getLong(2);
      }
    }
    try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM grievance");
        ResultSet rs = q.executeQuery()) {
      rs.next();
      reports = rs.getLong(1);
    }
    Map<String, Long> byCategory = new TreeMap<>();
    Map<String, Map<String, Long>> both = new TreeMap<>();
    try (PreparedStatement q =
            c.prepareStatement(
                "SELECT c.category, g.status, COUNT(*) FROM grievance_category c"
                    + " JOIN grievance g ON g.id = c.grievance_id"
                    + " WHERE g.merged_into IS NULL GROUP BY c.category, g.status");
        ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        byCategory.merge(rs.getString(1), rs.getLong(3), Long::sum);
        both.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
            .put(rs.getString(2), rs.getLong(3));
      }
    }
    return new Stats(workItems, reports, byStatus, byCategory, both);
  }

  /**
   * Status and merge target of a grievance, its row locked until the transaction ends; empty when
   * missing. Callers that lock several rows lock them in ascending id order, so that two
   * transactions never wait for each other in a circle.
   */
  public Optional<GrievanceState> lock(Connection c, long id) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement("SELECT status, merged_into FROM grievance WHERE id = ? FOR UPDATE")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new GrievanceState(id, rs.getString(1), getLong(rs, 2)));
      }
    }
  }

  /**
   * Locks each of the area grid's {@code cells} until the transaction ends, so that submissions
   * near one another are stored one at a time. The lock is held by the database, not the JVM, so it
   * serialises every server (replica) sharing the database, and commit or rollback releases it.
   *
   * <p>On PostgreSQL: transaction-scoped advisory locks on a 64-bit key derived from each cell's
   * name, taken in one statement in ascending key order so that two submissions never wait for each
   * other in a circle (were one ever to, PostgreSQL's deadlock detection fails it and the
   * transaction is retried); nothing is written, so no table grows with the cells ever used. Two
   * cells whose keys collide only serialise more than needed. Elsewhere (H2, which has no advisory
   * locks): {@link #lockAreaRows}.
   */
  public void lockAreas(Connection c, List<String> cells) throws SQLException {
    if (cells.isEmpty()) {
      return;
    }
    if (isPostgres(c)) {
      Long[] keys =
          cells.stream().map(GrievanceRepository::advisoryKey).sorted().toArray(Long[]::new);
      // One statement for all the cells (one round trip); unnest yields the array's order.
      try (PreparedStatement q =
          c.prepareStatement("SELECT pg_advisory_xact_lock(k) FROM unnest(?) AS t(k)")) {
        q.setArray(1, c.createArrayOf("bigint", keys));
        q.execute();
      }
      return;
    }
    lockAreaRows(c, cells);
  }

  /** Whether {@code c} is a PostgreSQL connection (the other database is H2). */
  public static boolean isPostgres(Connection c) throws SQLException {
    return "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
  }

  /**
   * The advisory lock key of an area cell: the first 8 bytes of the SHA-256 of a name that says
   * whose lock it is, so it does not meet other users of advisory locks on the same database.
   */
  static long advisoryKey(String cell) {
    try {
      byte[] d =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(("grievance-register area " + cell).getBytes(StandardCharsets.UTF_8));
      return java.nio.ByteBuffer.wrap(d).getLong();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Locks the area lock row of each of {@code cells}, in the given order, until the transaction
   * ends; a row not there yet is inserted, and the uncommitted insert is the lock (a concurrent
   * insert of the same key waits for it, or fails). When a concurrent first use of a cell hides its
   * row from this transaction, this throws a transient {@link SQLTransientException} (SQL state
   * 40001) so that the transaction is retried. For H2; held by the database too, so it serialises
   * several processes sharing the embedded database in mixed mode.
   */
  void lockAreaRows(Connection c, List<String> cells) throws SQLException {
    for (String cell : cells) {
      if (lockArea(c, cell)) {
        continue;
      }
      Savepoint before = c.setSavepoint();
      try {
        try (PreparedStatement ins =
            c.prepareStatement("INSERT INTO area_lock (cell) VALUES (?)")) {
          ins.setString(1, cell);
          ins.executeUpdate();
        }
        c.releaseSavepoint(before);
      } catch (SQLException e) {
        if (!DUPLICATE_KEY.equals(e.getSQLState())) {
          throw e;
        }
        // Inserted meanwhile by another transaction: undo the failed statement and lock its row.
        c.rollback(before);
        if (!lockArea(c, cell)) {
          throw new SQLTransientException(
              "area lock " + cell + " is being created by another transaction", SERIALIZATION);
        }
      }
    }
  }

  private static boolean lockArea(Connection c, String cell) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement("SELECT cell FROM area_lock WHERE cell = ? FOR UPDATE")) {
      q.setString(1, cell);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Sets the status (wire name) of a grievance. */
  public void setStatus(Connection c, long id, String status, OffsetDateTime now)
      throws SQLException {
    try (PreparedStatement u =
        c.prepareStatement("UPDATE grievance SET status = ?, updated_at = ? WHERE id = ?")) {
      u.setString(1, status);
      u.setObject(2, now);
      u.setLong(3, id);
      u.executeUpdate();
    }
  }

  /** Merges grievance {@code id} into {@code target}. */
  public void setMergedInto(Connection c, long id, long target, OffsetDateTime now)
      throws SQLException {
    try (PreparedStatement u =
        c.prepareStatement("UPDATE grievance SET merged_into = ?, updated_at = ? WHERE id = ?")) {
      u.setLong(1, target);
      u.setObject(2, now);
      u.setLong(3, id);
      u.executeUpdate();
    }
  }

  /** Marks a grievance as changed {@code now}. */
  public void touch(Connection c, long id, OffsetDateTime now) throws SQLException {
    try (PreparedStatement u =
        c.prepareStatement("UPDATE grievance SET updated_at = ? WHERE id = ?")) {
      u.setObject(1, now);
      u.setLong(2, id);
      u.executeUpdate();
    }
  }

  /** Appends an event to the audit trail of grievance {@code id}; null values stay null. */
  public void audit(
      Connection c,
      long id,
      OffsetDateTime at,
      String actor,
      String field,
      String from,
      String to,
      String comment)
      throws SQLException {
    try (PreparedStatement a =
        c.prepareStatement(
            "INSERT INTO audit_event (grievance_id, at, actor, field, from_value, to_value,"
                + " comment) VALUES (?, ?, ?, ?, ?, ?, ?)",
            Statement.NO_GENERATED_KEYS)) {
      a.setLong(1, id);
      a.setObject(2, at);
      a.setString(3, actor);
      a.setString(4, field);
      a.setString(5, from);
      a.setString(6, to);
      a.setString(7, comment);
      a.executeUpdate();
    }
  }

  /** Reads one row of a result set; may throw what JDBC throws. */
  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Runs a query with {@code params} bound in order and reads every row, in the result's order. */
  private static <T> List<T> rows(Connection c, String sql, List<?> params, RowReader<T> reader)
      throws SQLException {
    List<T> out = new ArrayList<>();
    try (PreparedStatement q = c.prepareStatement(sql)) {
      bind(q, params);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(reader.read(rs));
        }
      }
    }
    return out;
  }

  private static String time(ResultSet rs, int col) throws SQLException {
    OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
    return t == null ? null : t.toInstant().toString();
  }

  private static Double getDouble(ResultSet rs, int col) throws SQLException {
    double v = rs.getDouble(col);
    return rs.wasNull() ? null : v;
  }

  private static Long getLong(ResultSet rs, int col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : v;
  }

  private static void setDouble(PreparedStatement s, int i, Double v) throws SQLException {
    if (v == null) {
      s.setNull(i, Types.DOUBLE);
    } else {
      s.setDouble(i, v);
    }
  }

  private static void bind(PreparedStatement q, List<?> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object p = params.get(i);
      if (p instanceof Integer n) {
        q.setInt(i + 1, n);
      } else if (p instanceof Long n) {
        q.setLong(i + 1, n);
      } else if (p instanceof Double d) {
        q.setDouble(i + 1, d);
      } else {
        q.setObject(i + 1, p);
      }
    }
  }

  private static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }
}
