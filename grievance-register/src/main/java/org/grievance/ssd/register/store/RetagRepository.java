package org.grievance.ssd.register.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of re-tagging grievances with a newer model: what a grievance was tagged with, its new
 * tagging, and the resumable runs ({@code retag_job}).
 */
public final class RetagRepository {
  /** What re-tagging needs of a grievance: its stored photo and the version that tagged it. */
  public record Tagged(
      long id, String photoSha256, String annotatedSha256, String modelName, Long modelVersionId) {}

  /** A run over the grievances matching a filter, done up to {@code lastGrievanceId}. */
  public record Job(
      long id,
      long modelVersionId,
      String status,
      OffsetDateTime since,
      long lastGrievanceId,
      int retagged,
      int skipped,
      OffsetDateTime finishedAt) {}

  public Optional<Tagged> tagged(Connection c, long id) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT photo_sha256, annotated_sha256, model_name, model_version_id FROM grievance"
                + " WHERE id = ?")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long v = rs.getLong(4);
        return Optional.of(
            new Tagged(
                id,
                rs.getString(1).strip(),
                rs.getString(2).strip(),
                rs.getString(3),
                rs.wasNull() ? null : v));
      }
    }
  }

  /**
   * Stores a grievance's new detections, annotated photo, the model that made them and the review
   * priority they give.
   */
  public void setTagging(
      Connection c,
      long id,
      String detectionsJson,
      String annotatedSha256,
      String modelName,
      long modelVersionId,
      double reviewPriority,
      OffsetDateTime now)
      throws SQLException {
    try (PreparedStatement u =
        c.prepareStatement(
            "UPDATE grievance SET detections = ?, annotated_sha256 = ?, model_name = ?,"
                + " model_version_id = ?, review_priority = ?, updated_at = ? WHERE id = ?")) {
      u.setString(1, detectionsJson);
      u.setString(2, annotatedSha256);
      u.setString(3, modelName);
      u.setLong(4, modelVersionId);
      u.setDouble(5, reviewPriority);
      u.setObject(6, now);
      u.setLong(7, id);
      u.executeUpdate();
    }
  }

  /** Whether an official has set the categories of grievance {@code id} (its audit trail says). */
  public boolean categoriesSetByOfficial(Connection c, long id) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT COUNT(*) FROM audit_event WHERE grievance_id = ? AND field = 'categories'")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  /**
   * Up to {@code limit} ids above {@code after} of grievances with {@code status} (null: any)
   * created at or after {@code since} (null: any), ascending.
   */
  public List<Long> idsAfter(
      Connection c, long after, String status, OffsetDateTime since, int limit)
      throws SQLException {
    List<Long> out = new ArrayList<>();
    try (PreparedStatement q =
        c.prepareStatement("SELECT id" + filter(status, since) + " ORDER BY id LIMIT ?")) {
      int i = bind(q, after, status, since);
      q.setInt(i, limit);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }

  /** How many grievances {@link #idsAfter} would still find. */
  public long countAfter(Connection c, long after, String status, OffsetDateTime since)
      throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*)" + filter(status, since))) {
      bind(q, after, status, since);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static String filter(String status, OffsetDateTime since) {
    return " FROM grievance WHERE id > ?"
        + (status == null ? "" : " AND status = ?")
        + (since == null ? "" : " AND created_at >= ?");
  }

  private static int bind(PreparedStatement q, long after, String status, OffsetDateTime since)
      throws SQLException {
    int i = 1;
    q.setLong(i++, after);
    if (status != null) {
      q.setString(i++, status);
    }
    if (since != null) {
      q.setObject(i++, since);
    }
    return i;
  }

  /** The unfinished run of {@code versionId} over the same filter, if any (the newest). */
  public Optional<Job> unfinishedJob(
      Connection c, long versionId, String status, OffsetDateTime since) throws SQLException {
    List<Job> found = new ArrayList<>();
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT id, model_version_id, status_filter, since, last_grievance_id, retagged,"
                + " skipped, finished_at FROM retag_job WHERE model_version_id = ? AND"
                + " finished_at IS NULL ORDER BY id DESC")) {
      q.setLong(1, versionId);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          found.add(job(rs));
        }
      }
    }
    // Compared here: "IS NOT DISTINCT FROM" for the nullable filters is not portable enough.
    return found.stream()
        .filter(j -> java.util.Objects.equals(j.status(), status))
        .filter(
            j ->
                since == null
                    ? j.since() == null
                    : j.since() != null && j.since().toInstant().equals(since.toInstant()))
        .findFirst();
  }

  public Optional<Job> job(Connection c, long id) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT id, model_version_id, status_filter, since, last_grievance_id, retagged,"
                + " skipped, finished_at FROM retag_job WHERE id = ?")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? Optional.of(job(rs)) : Optional.empty();
      }
    }
  }

  private static Job job(ResultSet rs) throws SQLException {
    return new Job(
        rs.getLong(1),
        rs.getLong(2),
        rs.getString(3),
        rs.getObject(4, OffsetDateTime.class),
        rs.getLong(5),
        rs.getInt(6),
        rs.getInt(7),
        rs.getObject(8, OffsetDateTime.class));
  }

  /** Starts a run; returns its id. */
  public long insertJob(
      Connection c, long versionId, String status, OffsetDateTime since, OffsetDateTime now)
      throws SQLException {
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO retag_job (model_version_id, status_filter, since, last_grievance_id,"
                + " retagged, skipped, started_at, updated_at) VALUES (?, ?, ?, 0, 0, 0, ?, ?)",
            new String[] {"id"})) {
      ins.setLong(1, versionId);
      ins.setString(2, status);
      if (since == null) {
        ins.setNull(3, Types.TIMESTAMP_WITH_TIMEZONE);
      } else {
        ins.setObject(3, since);
      }
      ins.setObject(4, now);
      ins.setObject(5, now);
      ins.executeUpdate();
      try (ResultSet keys = ins.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /** Records that the run has done every grievance up to {@code lastId}. */
  public void advanceJob(
      Connection c, long jobId, long lastId, boolean retagged, OffsetDateTime now)
      throws SQLException {
    try (PreparedStatement u =
        c.prepareStatement(
            "UPDATE retag_job SET last_grievance_id = ?, retagged = retagged + ?,"
                + " skipped = skipped + ?, updated_at = ? WHERE id = ?")) {
      u.setLong(1, lastId);
      u.setInt(2, retagged ? 1 : 0);
      u.setInt(3, retagged ? 0 : 1);
      u.setObject(4, now);
      u.setLong(5, jobId);
      u.executeUpdate();
    }
  }

  public void finishJob(Connection c, long jobId, OffsetDateTime now) throws SQLException {
    try (PreparedStatement u =
        c.prepareStatement("UPDATE retag_job SET finished_at = ?, updated_at = ? WHERE id = ?")) {
      u.setObject(1, now);
      u.setObject(2, now);
      u.setLong(3, jobId);
      u.executeUpdate();
    }
  }
}
