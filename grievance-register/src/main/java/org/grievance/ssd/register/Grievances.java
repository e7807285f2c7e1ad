package org.grievance.ssd.register;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The grievance register in the database. Every statement is parameterised (user text never becomes
 * SQL); each operation is one transaction, so a grievance appears with its categories, duplicate
 * links and first audit event, or not at all.
 */
public final class Grievances {
  /** The category of a grievance in which nothing was detected over the threshold. */
  public static final String UNTAGGED = "untagged";

  /** Actor recorded for submissions. */
  public static final String CITIZEN = "citizen";

  private final Database db;
  private final double duplicateRadiusMeters;

  public Grievances(Database db, double duplicateRadiusMeters) {
    this.db = db;
    this.duplicateRadiusMeters = duplicateRadiusMeters;
  }

  /** What a submission stores. {@code categories}: name → best score, in tag order. */
  public record NewGrievance(
      String description,
      Double latitude,
      Double longitude,
      String contact,
      String photoSha256,
      String photoType,
      String annotatedSha256,
      int imageWidth,
      int imageHeight,
      String modelName,
      String detectionsJson,
      Map<String, Double> categories) {}

  /** One category of a grievance; {@code score} is null when an official set it. */
  public record Category(String name, Double score) {}

  /** A possible duplicate: another grievance of a common category within the radius. */
  public record DuplicateLink(long id, double distanceMeters) {}

  /** One change to a grievance. */
  public record AuditEvent(
      String at, String actor, String field, String from, String to, String comment) {}

  /** A grievance as the API shows it; {@code contact} only to officials. */
  public record Grievance(
      long id,
      String createdAt,
      String updatedAt,
      String status,
      String description,
      Double latitude,
      Double longitude,
      String contact,
      List<Category> categories,
      int imageWidth,
      int imageHeight,
      String model,
      JsonNode detections,
      Long mergedInto,
      List<Long> reports,
      List<DuplicateLink> possibleDuplicates,
      List<AuditEvent> history,
      Map<String, String> links) {}

  /** A row of the list. */
  public record Summary(
      long id,
      String createdAt,
      String status,
      String description,
      Double latitude,
      Double longitude,
      String contact,
      List<String> categories,
      Long mergedInto,
      int reports,
      Map<String, String> links) {}

  /** A page of the list, newest first; {@code page} counts from 1. */
  public record Page(List<Summary> items, int page, int size, long total) {}

  /** List filters; null fields do not filter. {@code to} is exclusive. */
  public record Filter(
      String category, Status status, OffsetDateTime from, OffsetDateTime to, int page, int size) {}

  /** Counts of work items (reports merged into another are counted with it) and reports. */
  public record Stats(
      long workItems,
      long reports,
      Map<String, Long> byStatus,
      Map<String, Long> byCategory,
      Map<String, Map<String, Long>> byCategoryAndStatus) {}

  /** An official's change; null fields stay as they are. */
  public record Patch(Status status, List<String> categories, String comment, Long mergeInto) {
    boolean isEmpty() {
      return status == null && categories == null && comment == null && mergeInto == null;
    }
  }

  /** Inserts a grievance and links it to nearby open ones; returns its id. */
  public long create(NewGrievance g) throws SQLException {
    return db.inTransaction(
        c -> {
          OffsetDateTime now = now();
          long id;
          try (PreparedStatement ins =
              c.prepareStatement(
                  "INSERT INTO grievance (created_at, updated_at, status, description, latitude,"
                      + " longitude, contact, photo_sha256, photo_type, annotated_sha256,"
                      + " image_width, image_height, model_name, detections)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  new String[] {"id"})) {
            ins.setObject(1, now);
            ins.setObject(2, now);
            ins.setString(3, Status.OPEN.wire());
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
            ins.executeUpdate();
            try (ResultSet keys = ins.getGeneratedKeys()) {
              keys.next();
              id = keys.getLong(1);
            }
          }
          insertCategories(c, id, g.categories());
          if (g.latitude() != null && g.longitude() != null) {
            linkDuplicates(c, id, g.latitude(), g.longitude(), g.categories().keySet());
          }
          audit(c, id, now, CITIZEN, "created", null, Status.OPEN.wire(), null);
          return id;
        });
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
    String sql =
        "SELECT DISTINCT g.id, g.latitude, g.longitude FROM grievance g"
            + " JOIN grievance_category c ON c.grievance_id = g.id"
            + " WHERE g.id <> ? AND g.status IN ('open', 'in_progress') AND g.merged_into IS NULL"
            + " AND g.latitude BETWEEN ? AND ? AND g.longitude BETWEEN ? AND ?"
            + " AND c.category IN ("
            + placeholders(categories.size())
            + ")";
    Map<Long, Double> found = new TreeMap<>();
    try (PreparedStatement q = c.prepareStatement(sql)) {
      int i = 1;
      q.setLong(i++, id);
      q.setDouble(i++, lat - dLat);
      q.setDouble(i++, lat + dLat);
      q.setDouble(i++, lon - dLon);
      q.setDouble(i++, lon + dLon);
      for (String cat : categories) {
        q.setString(i++, cat);
      }
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          double d = GeoDistance.meters(lat, lon, rs.getDouble(2), rs.getDouble(3));
          if (d <= duplicateRadiusMeters) {
            found.put(rs.getLong(1), d);
          }
        }
      }
    }
    if (found.isEmpty()) {
      return;
    }
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO duplicate_link (grievance_id, other_id, distance_m) VALUES (?, ?, ?)")) {
      for (Map.Entry<Long, Double> e : found.entrySet()) {
        ins.setLong(1, id);
        ins.setLong(2, e.getKey());
        ins.setDouble(3, e.getValue());
        ins.addBatch();
      }
      ins.executeBatch();
    }
  }

  /** The grievance, with its contact when {@code forOfficial}. */
  public Optional<Grievance> find(long id, boolean forOfficial) throws SQLException {
    return db.read(c -> find(c, id, forOfficial));
  }

  private Optional<Grievance> find(Connection c, long id, boolean forOfficial) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT id, created_at, updated_at, status, description, latitude, longitude,"
                + " contact, image_width, image_height, model_name, detections, merged_into"
                + " FROM grievance WHERE id = ?")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        JsonNode detections;
        try {
          detections = ApiJson.MAPPER.readTree(rs.getString(12));
        } catch (JsonProcessingException e) {
          throw new SQLException("grievance " + id + " has malformed detections JSON", e);
        }
        Grievance g =
            new Grievance(
                id,
                time(rs, 2),
                time(rs, 3),
                rs.getString(4),
                rs.getString(5),
                getDouble(rs, 6),
                getDouble(rs, 7),
                forOfficial ? rs.getString(8) : null,
                categories(c, id),
                rs.getInt(9),
                rs.getInt(10),
                rs.getString(11),
                detections,
                getLong(rs, 13),
                reports(c, id),
                duplicates(c, id),
                history(c, id),
                links(id));
        return Optional.of(g);
      }
    }
  }

  /** Photo hash and media type ({@code annotated}: the annotated PNG's hash). */
  public Optional<String[]> photo(long id, boolean annotated) throws SQLException {
    return db.read(
        c -> {
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
                      ? new String[] {rs.getString(3), "image/png"}
                      : new String[] {rs.getString(1), rs.getString(2)});
            }
          }
        });
  }

  /** Every stored photo hash (originals and annotated), for consistency checks. */
  public List<String> photoHashes() throws SQLException {
    return db.read(
        c -> {
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
        });
  }

  private static List<Category> categories(Connection c, long id) throws SQLException {
    List<Category> out = new ArrayList<>();
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT category, score FROM grievance_category WHERE grievance_id = ?"
                + " ORDER BY score DESC NULLS LAST, category")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(new Category(rs.getString(1), getDouble(rs, 2)));
        }
      }
    }
    return out;
  }

  private static List<Long> reports(Connection c, long id) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (PreparedStatement q =
        c.prepareStatement("SELECT id FROM grievance WHERE merged_into = ? ORDER BY id")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }

  /** Links in either direction to grievances that are still their own work item. */
  private static List<DuplicateLink> duplicates(Connection c, long id) throws SQLException {
    List<DuplicateLink> out = new ArrayList<>();
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT l.other_id, l.distance_m FROM duplicate_link l JOIN grievance g"
                + " ON g.id = l.other_id WHERE l.grievance_id = ? AND g.merged_into IS NULL"
                + " UNION SELECT l.grievance_id, l.distance_m FROM duplicate_link l"
                + " JOIN grievance g ON g.id = l.grievance_id WHERE l.other_id = ?"
                + " AND g.merged_into IS NULL ORDER BY 2, 1")) {
      q.setLong(1, id);
      q.setLong(2, id);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(new DuplicateLink(rs.getLong(1), rs.getDouble(2)));
        }
      }
    }
    return out;
  }

  private static List<AuditEvent> history(Connection c, long id) throws SQLException {
    List<AuditEvent> out = new ArrayList<>();
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT at, actor, field, from_value, to_value, comment FROM audit_event"
                + " WHERE grievance_id = ? ORDER BY id")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(
              new AuditEvent(
                  time(rs, 1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6)));
        }
      }
    }
    return out;
  }

  /** A page of grievances matching {@code f}, newest first. */
  public Page list(Filter f, boolean forOfficial) throws SQLException {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (f.status() != null) {
      where.append(" AND g.status = ?");
      params.add(f.status().wire());
    }
    if (f.category() != null) {
      where.append(
          " AND EXISTS (SELECT 1 FROM grievance_category c WHERE c.grievance_id = g.id"
              + " AND c.category = ?)");
      params.add(f.category());
    }
    if (f.from() != null) {
      where.append(" AND g.created_at >= ?");
      params.add(f.from());
    }
    if (f.to() != null) {
      where.append(" AND g.created_at < ?");
      params.add(f.to());
    }
    return db.read(
        c -> {
          long total;
          try (PreparedStatement q =
              c.prepareStatement("SELECT COUNT(*) FROM grievance g" + where)) {
            bind(q, params);
            try (ResultSet rs = q.executeQuery()) {
              rs.next();
              total = rs.getLong(1);
            }
          }
          List<Summary> items = new ArrayList<>();
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT g.id, g.created_at, g.status, g.description, g.latitude, g.longitude,"
                      + " g.contact, g.merged_into FROM grievance g"
                      + where
                      + " ORDER BY g.created_at DESC, g.id DESC LIMIT ? OFFSET ?")) {
            List<Object> all = new ArrayList<>(params);
            all.add(f.size());
            all.add((long) (f.page() - 1) * f.size());
            bind(q, all);
            try (ResultSet rs = q.executeQuery()) {
              while (rs.next()) {
                long id = rs.getLong(1);
                items.add(
                    new Summary(
                        id,
                        time(rs, 2),
                        rs.getString(3),
                        rs.getString(4),
                        getDouble(rs, 5),
                        getDouble(rs, 6),
                        forOfficial ? rs.getString(7) : null,
                        new ArrayList<>(),
                        getLong(rs, 8),
                        1,
                        links(id)));
              }
            }
          }
          fillCategoriesAndReports(c, items);
          return new Page(items, f.page(), f.size(), total);
        });
  }

  private static void fillCategoriesAndReports(Connection c, List<Summary> items)
      throws SQLException {
    if (items.isEmpty()) {
      return;
    }
    Map<Long, Integer> index = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      index.put(items.get(i).id(), i);
    }
    String in = placeholders(items.size());
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT grievance_id, category FROM grievance_category WHERE grievance_id IN ("
                + in
                + ") ORDER BY grievance_id, score DESC NULLS LAST, category")) {
      bind(q, new ArrayList<>(index.keySet()));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          items.get(index.get(rs.getLong(1))).categories().add(rs.getString(2));
        }
      }
    }
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT merged_into, COUNT(*) FROM grievance WHERE merged_into IN ("
                + in
                + ") GROUP BY merged_into")) {
      bind(q, new ArrayList<>(index.keySet()));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          int i = index.get(rs.getLong(1));
          Summary s = items.get(i);
          items.set(
              i,
              new Summary(
                  s.id(),
                  s.createdAt(),
                  s.status(),
                  s.description(),
                  s.latitude(),
                  s.longitude(),
                  s.contact(),
                  s.categories(),
                  s.mergedInto(),
                  1 + rs.getInt(2),
                  s.links()));
        }
      }
    }
  }

  /** Counts by status and category. */
  public Stats stats() throws SQLException {
    return db.read(
        c -> {
          Map<String, Long> byStatus = new LinkedHashMap<>();
          for (Status s : Status.values()) {
            byStatus.put(s.wire(), 0L);
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
        });
  }

  /**
   * Applies an official's change in one transaction and records every change in the audit trail.
   *
   * @param allowedCategories category names an official may set
   * @return the grievance after the change
   */
  public Grievance patch(long id, Patch p, String actor, Set<String> allowedCategories)
      throws SQLException {
    if (p.isEmpty()) {
      throw ApiException.badRequest(
          "nothing to change: give status, categories, comment or mergeInto");
    }
    return db.inTransaction(
        c -> {
          OffsetDateTime now = now();
          String[] row = lockRow(c, id);
          if (row == null) {
            throw ApiException.notFound("no grievance " + id);
          }
          Status current = Status.parse(row[0]);
          boolean changed = false;
          if (p.mergeInto() != null) {
            merge(c, id, row[1], p.mergeInto(), actor, p.comment(), now);
            changed = true;
          }
          if (p.status() != null) {
            if (row[1] != null) {
              throw new ApiException(
                  409,
                  "grievance "
                      + id
                      + " is merged into "
                      + row[1]
                      + "; change the status of that one");
            }
            if (!current.canMoveTo(p.status())) {
              throw new ApiException(
                  409,
                  "status cannot change from "
                      + current.wire()
                      + " to "
                      + p.status().wire()
                      + (current.next().isEmpty()
                          ? " (" + current.wire() + " is final)"
                          : "; allowed: " + wires(current.next())));
            }
            setStatus(c, id, current, p.status(), actor, p.comment(), now);
            try (PreparedStatement q =
                c.prepareStatement(
                    "SELECT id, status FROM grievance WHERE merged_into = ? ORDER BY id")) {
              q.setLong(1, id);
              List<long[]> followers = new ArrayList<>();
              List<String> statuses = new ArrayList<>();
              try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                  followers.add(new long[] {rs.getLong(1)});
                  statuses.add(rs.getString(2));
                }
              }
              for (int i = 0; i < followers.size(); i++) {
                setStatus(
                    c,
                    followers.get(i)[0],
                    Status.parse(statuses.get(i)),
                    p.status(),
                    actor,
                    "follows #" + id,
                    now);
              }
            }
            changed = true;
          }
          if (p.categories() != null) {
            setCategories(c, id, p.categories(), allowedCategories, actor, p.comment(), now);
            changed = true;
          }
          if (!changed) {
            audit(c, id, now, actor, "comment", null, null, p.comment());
          }
          touch(c, id, now);
          return find(c, id, true).orElseThrow();
        });
  }

  /** Status and merged_into of a row, locked for this transaction; null when missing. */
  private static String[] lockRow(Connection c, long id) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement("SELECT status, merged_into FROM grievance WHERE id = ? FOR UPDATE")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        Long m = getLong(rs, 2);
        return new String[] {rs.getString(1), m == null ? null : m.toString()};
      }
    }
  }

  private static void setStatus(
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
    try (PreparedStatement u =
        c.prepareStatement("UPDATE grievance SET status = ?, updated_at = ? WHERE id = ?")) {
      u.setString(1, to.wire());
      u.setObject(2, now);
      u.setLong(3, id);
      u.executeUpdate();
    }
    audit(c, id, now, actor, "status", from.wire(), to.wire(), comment);
  }

  private static void setCategories(
      Connection c,
      long id,
      List<String> categories,
      Set<String> allowed,
      String actor,
      String comment,
      OffsetDateTime now)
      throws SQLException {
    if (categories.isEmpty()) {
      throw ApiException.badRequest(
          "categories must not be empty (use [\"" + UNTAGGED + "\"] for none)");
    }
    Map<String, Double> next = new LinkedHashMap<>();
    for (String cat : categories) {
      if (cat == null || !allowed.contains(cat)) {
        throw ApiException.badRequest(
            "unknown category '" + cat + "': expected one of " + new TreeSet<>(allowed));
      }
      next.put(cat, null);
    }
    List<String> before = new ArrayList<>();
    for (Category cat : categories(c, id)) {
      before.add(cat.name());
    }
    try (PreparedStatement d =
        c.prepareStatement("DELETE FROM grievance_category WHERE grievance_id = ?")) {
      d.setLong(1, id);
      d.executeUpdate();
    }
    insertCategories(c, id, next);
    audit(
        c,
        id,
        now,
        actor,
        "categories",
        String.join(",", before),
        String.join(",", next.keySet()),
        comment);
  }

  private static void merge(
      Connection c,
      long id,
      String currentTarget,
      long target,
      String actor,
      String comment,
      OffsetDateTime now)
      throws SQLException {
    if (target == id) {
      throw ApiException.badRequest("a grievance cannot be merged into itself");
    }
    if (currentTarget != null) {
      throw new ApiException(409, "grievance " + id + " is already merged into " + currentTarget);
    }
    String[] t = lockRow(c, target);
    if (t == null) {
      throw ApiException.notFound("no grievance " + target + " to merge into");
    }
    if (t[1] != null) {
      throw new ApiException(
          409, "grievance " + target + " is itself merged into " + t[1] + "; merge into that one");
    }
    try (PreparedStatement u =
        c.prepareStatement("UPDATE grievance SET merged_into = ?, updated_at = ? WHERE id = ?")) {
      u.setLong(1, target);
      u.setObject(2, now);
      u.setLong(3, id);
      u.executeUpdate();
    }
    audit(c, id, now, actor, "merged_into", null, Long.toString(target), comment);
    // Reports already merged into this one move along, so merges never chain.
    List<Long> moved = new ArrayList<>();
    try (PreparedStatement q =
        c.prepareStatement("SELECT id FROM grievance WHERE merged_into = ?")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          moved.add(rs.getLong(1));
        }
      }
    }
    for (long m : moved) {
      try (PreparedStatement u =
          c.prepareStatement("UPDATE grievance SET merged_into = ?, updated_at = ? WHERE id = ?")) {
        u.setLong(1, target);
        u.setObject(2, now);
        u.setLong(3, m);
        u.executeUpdate();
      }
      audit(c, m, now, actor, "merged_into", Long.toString(id), Long.toString(target), comment);
    }
    try (PreparedStatement a =
        c.prepareStatement(
            "INSERT INTO audit_event (grievance_id, at, actor, field, from_value, to_value,"
                + " comment) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      a.setLong(1, target);
      a.setObject(2, now);
      a.setString(3, actor);
      a.setString(4, "report_merged");
      a.setNull(5, Types.VARCHAR);
      a.setString(6, Long.toString(id));
      a.setString(7, comment);
      a.executeUpdate();
    }
  }

  private static void touch(Connection c, long id, OffsetDateTime now) throws SQLException {
    try (PreparedStatement u =
        c.prepareStatement("UPDATE grievance SET updated_at = ? WHERE id = ?")) {
      u.setObject(1, now);
      u.setLong(2, id);
      u.executeUpdate();
    }
  }

  private static void audit(
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

  private static String wires(Set<Status> statuses) {
    List<String> out = new ArrayList<>();
    for (Status s : Status.values()) {
      if (statuses.contains(s)) {
        out.add(s.wire());
      }
    }
    return String.join(", ", out);
  }

  static Map<String, String> links(long id) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("self", "/api/grievances/" + id);
    m.put("photo", "/api/grievances/" + id + "/image");
    m.put("annotated", "/api/grievances/" + id + "/image?annotated=true");
    m.put("page", "/#track=" + id);
    return m;
  }

  private static OffsetDateTime now() {
    // Microsecond precision: what both databases store, so a value reads back as written.
    OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC);
    return t.withNano(t.getNano() / 1000 * 1000);
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
      } else {
        q.setObject(i + 1, p);
      }
    }
  }

  private static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }
}
