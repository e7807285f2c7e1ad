package org.grievance.ssd.register.export;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.store.AnnotationBoxes;

/**
 * Reads the reviewed annotations (rows of {@code annotation} with {@code reviewed = TRUE}) with
 * their grievances' stored photos, in grievance-id order. Rows saved as work in progress ({@code
 * reviewed = FALSE}) are not training data and are not read.
 */
public final class ReviewedPhotos {

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
                        AnnotationBoxes.parse(id, rs.getString(6))));
              }
            }
          }
          return out;
        });
  }
}
