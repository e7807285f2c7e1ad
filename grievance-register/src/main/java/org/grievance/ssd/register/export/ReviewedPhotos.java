package org.grievance.ssd.register.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.register.Database;

/**
 * Reads the reviewed annotations (rows of {@code annotation} with {@code reviewed = TRUE}) with
 * their grievances' stored photos, in grievance-id order. Rows saved as work in progress ({@code
 * reviewed = FALSE}) are not training data and are not read.
 */
public final class ReviewedPhotos {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;

  public ReviewedPhotos(Database db) {
    this.db = db;
  }

  /**
   * The reviewed photos, those reviewed at or after {@code since} only when it is not null.
   *
   * @throws IllegalStateException naming the grievance and field when a stored box is malformed
   */
  public List<ReviewedPhoto> list(Instant since) throws SQLException {
    String sql =
        "SELECT a.grievance_id, g.photo_sha256, g.image_width, g.image_height, a.reviewed_at,"
            + " a.boxes FROM annotation a JOIN grievance g ON g.id = a.grievance_id"
            + " WHERE a.reviewed = TRUE AND a.reviewed_at IS NOT NULL"
            + (since == null ? "" : " AND a.reviewed_at >= ?")
            + " ORDER BY a.grievance_id";
    return db.read(
        c -> {
          List<ReviewedPhoto> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (since != null) {
              ps.setObject(1, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                long id = rs.getLong(1);
                out.add(
                    new ReviewedPhoto(
                        id,
                        rs.getString(2).strip(),
                        rs.getInt(3),
                        rs.getInt(4),
                        rs.getObject(5, OffsetDateTime.class).toInstant(),
                        boxes(id, rs.getString(6))));
              }
            }
          }
          return out;
        });
  }

  /** Parses the {@code boxes} JSON of grievance {@code id}. */
  static List<AnnotatedBox> boxes(long id, String text) {
    String where = "annotation of grievance " + id + ": boxes";
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(where + ": not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isArray()) {
      throw new IllegalStateException(where + ": must be a JSON array");
    }
    List<AnnotatedBox> out = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      String at = where + "[" + i + "]";
      JsonNode b = root.get(i);
      JsonNode cls = b.get("class");
      JsonNode box = b.get("box");
      if (cls == null || !cls.isTextual()) {
        throw new IllegalStateException(at + ".class: must be a string");
      }
      if (box == null || !box.isObject()) {
        throw new IllegalStateException(at + ".box: must be an object");
      }
      try {
        out.add(
            new AnnotatedBox(
                cls.textValue(),
                number(box, "xmin", at),
                number(box, "ymin", at),
                number(box, "xmax", at),
                number(box, "ymax", at)));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(at + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static double number(JsonNode box, String field, String at) {
    JsonNode v = box.get(field);
    if (v == null || !v.isNumber()) {
      throw new IllegalStateException(at + ".box." + field + ": must be a number");
    }
    return v.doubleValue();
  }
}
