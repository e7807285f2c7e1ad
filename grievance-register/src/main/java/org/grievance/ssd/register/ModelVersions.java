package org.grievance.ssd.register;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.grievance.ssd.register.store.GrievanceRepository;

/**
 * The promoted model versions ({@code model_version}) and the models' audit trail ({@code
 * model_event}). The version with the highest id is the one every server of the register serves;
 * servers poll {@link #latestId()} to notice a promotion (see docs/model-promotion.md).
 */
public final class ModelVersions {
  /** Events of the models' audit trail. */
  public static final String PROMOTED = "promoted";

  public static final String RETAG_STARTED = "retag_started";
  public static final String RETAG_FINISHED = "retag_finished";

  private final Database db;

  public ModelVersions(Database db) {
    this.db = db;
  }

  /**
   * One promoted model.
   *
   * @param id the version number; the highest is served
   * @param archiveSha256 the {@link ModelArchive} in the {@link PhotoStore}
   * @param modelName the model's name as the register shows it ({@code run/best})
   * @param classes the model's object classes in order
   * @param checkpointDate when the checkpoint was written (its training state's time), or null
   * @param comparison what the promotion compared (the quality gate's summary), or null
   */
  public record ModelVersion(
      long id,
      String archiveSha256,
      String modelName,
      List<String> classes,
      Instant checkpointDate,
      Instant promotedAt,
      String promotedBy,
      boolean forced,
      String comparison) {
    public ModelVersion {
      classes = List.copyOf(classes);
    }

    /** The version as people name it: {@code v3}. */
    public String label() {
      return label(id);
    }

    public static String label(long id) {
      return "v" + id;
    }
  }

  /** An entry of the models' audit trail. */
  public record ModelEvent(
      long id, Instant at, String actor, String event, Long versionId, String detail) {}

  /** What a new version records; the id and time are given on insert. */
  public record NewVersion(
      String archiveSha256,
      String modelName,
      List<String> classes,
      Instant checkpointDate,
      String promotedBy,
      boolean forced,
      String comparison) {}

  /** The highest version id, 0 when none was promoted yet: the cheap query servers poll. */
  public long latestId() throws SQLException {
    return db.read(
        c -> {
          try (PreparedStatement q = c.prepareStatement("SELECT MAX(id) FROM model_version");
              ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** The served version: the latest promoted. */
  public Optional<ModelVersion> latest() throws SQLException {
    long id = latestId();
    return id == 0 ? Optional.empty() : find(id);
  }

  public Optional<ModelVersion> find(long id) throws SQLException {
    List<ModelVersion> found = select(" WHERE id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** Every version, oldest first. */
  public List<ModelVersion> list() throws SQLException {
    return select("", null);
  }

  private List<ModelVersion> select(String where, Long id) throws SQLException {
    return db.read(
        c -> {
          List<ModelVersion> out = new ArrayList<>();
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT id, archive_sha256, model_name, classes, checkpoint_date, promoted_at,"
                      + " promoted_by, forced, comparison FROM model_version"
                      + where
                      + " ORDER BY id")) {
            if (id != null) {
              q.setLong(1, id);
            }
            try (ResultSet rs = q.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new ModelVersion(
                        rs.getLong(1),
                        rs.getString(2).strip(),
                        rs.getString(3),
                        classes(rs.getString(4)),
                        instant(rs.getObject(5, OffsetDateTime.class)),
                        rs.getObject(6, OffsetDateTime.class).toInstant(),
                        rs.getString(7),
                        rs.getBoolean(8),
                        rs.getString(9)));
              }
            }
          }
          return out;
        });
  }

  /**
   * Records a promotion and its audit event in one transaction; returns the new version, which
   * every server serves from its next poll on.
   */
  public ModelVersion promote(NewVersion v) throws SQLException {
    long id =
        db.inTransaction(
            c -> {
              OffsetDateTime now = GrievanceRepository.now();
              long newId;
              try (PreparedStatement ins =
                  c.prepareStatement(
                      "INSERT INTO model_version (archive_sha256, model_name, classes,"
                          + " checkpoint_date, promoted_at, promoted_by, forced, comparison)"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      new String[] {"id"})) {
                ins.setString(1, v.archiveSha256());
                ins.setString(2, v.modelName());
                ins.setString(3, json(v.classes()));
                if (v.checkpointDate() == null) {
                  ins.setNull(4, Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                  ins.setObject(4, v.checkpointDate().atOffset(java.time.ZoneOffset.UTC));
                }
                ins.setObject(5, now);
                ins.setString(6, v.promotedBy());
                ins.setBoolean(7, v.forced());
                ins.setString(8, v.comparison());
                ins.executeUpdate();
                try (ResultSet keys = ins.getGeneratedKeys()) {
                  keys.next();
                  newId = keys.getLong(1);
                }
              }
              String detail =
                  v.modelName()
                      + " ("
                      + v.archiveSha256().substring(0, 12)
                      + ")"
                      + (v.forced() ? ", forced" : "")
                      + (v.comparison() == null ? "" : "; " + v.comparison());
              event(c, now, v.promotedBy(), PROMOTED, newId, detail);
              return newId;
            });
    return find(id).orElseThrow();
  }

  /** Appends an event to the models' audit trail. */
  public void event(String actor, String event, Long versionId, String detail) throws SQLException {
    db.inTransaction(
        c -> {
          event(c, GrievanceRepository.now(), actor, event, versionId, detail);
          return null;
        });
  }

  static void event(
      Connection c, OffsetDateTime at, String actor, String event, Long versionId, String detail)
      throws SQLException {
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO model_event (at, actor, event, model_version_id, detail)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      ins.setObject(1, at);
      ins.setString(2, actor);
      ins.setString(3, event);
      if (versionId == null) {
        ins.setNull(4, Types.BIGINT);
      } else {
        ins.setLong(4, versionId);
      }
      ins.setString(5, detail);
      ins.executeUpdate();
    }
  }

  /** The models' audit trail, oldest first. */
  public List<ModelEvent> events() throws SQLException {
    return db.read(
        c -> {
          List<ModelEvent> out = new ArrayList<>();
          try (PreparedStatement q =
                  c.prepareStatement(
                      "SELECT id, at, actor, event, model_version_id, detail FROM model_event"
                          + " ORDER BY id");
              ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
              long v = rs.getLong(5);
              out.add(
                  new ModelEvent(
                      rs.getLong(1),
                      rs.getObject(2, OffsetDateTime.class).toInstant(),
                      rs.getString(3),
                      rs.getString(4),
                      rs.wasNull() ? null : v,
                      rs.getString(6)));
            }
          }
          return out;
        });
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static String json(List<String> classes) {
    try {
      return ApiJson.MAPPER.writeValueAsString(classes);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise class names", e);
    }
  }

  private static List<String> classes(String json) throws SQLException {
    try {
      return ApiJson.MAPPER.readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new SQLException("model_version.classes is not a JSON array of names: " + json, e);
    }
  }
}
