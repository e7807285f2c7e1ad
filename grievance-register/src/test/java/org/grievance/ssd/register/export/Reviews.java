package org.grievance.ssd.register.export;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.FolderPhotoStore;
import org.grievance.ssd.register.PhotoStore;
import org.grievance.ssd.register.store.GrievanceRepository;
import org.grievance.ssd.register.store.NewGrievance;
import org.grievance.ssd.testing.TinyModels;

/**
 * The export tests' register: grievances with stored photos and officials' annotations inserted
 * directly (the annotation API is not needed to read them).
 */
final class Reviews {
  final Database db;
  final PhotoStore photos;

  Reviews(Path dataDir) {
    this.db = Database.open("jdbc:h2:mem:export-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    this.photos = new FolderPhotoStore(dataDir.resolve("photos"));
  }

  /** A grievance with a small PNG photo of its own; returns its id. */
  long grievance(long seed) throws IOException, SQLException {
    return grievance(ImageFiles.pngBytes(TinyModels.image(48, 64, seed)), 64, 48);
  }

  /** A grievance whose stored (clean) photo is {@code bytes}, {@code width x height}. */
  long grievance(byte[] bytes, int width, int height) throws IOException, SQLException {
    String hash = photos.put(bytes);
    NewGrievance g =
        new NewGrievance(
            "a pothole",
            null,
            null,
            null,
            hash,
            "image/png",
            hash,
            width,
            height,
            "tiny",
            "[]",
            Map.of());
    return db.inTransaction(
        c -> new GrievanceRepository().insert(c, g, "open", GrievanceRepository.now()));
  }

  /** Saves the annotation of grievance {@code id}: boxes as {@code class,xmin,ymin,xmax,ymax}. */
  void annotate(long id, boolean reviewed, OffsetDateTime at, List<String> boxes)
      throws SQLException {
    StringBuilder json = new StringBuilder("[");
    for (String b : boxes) {
      String[] f = b.split(",");
      if (json.length() > 1) {
        json.append(',');
      }
      json.append(
          String.format(
              "{\"class\":\"%s\",\"box\":{\"xmin\":%s,\"ymin\":%s,\"xmax\":%s,\"ymax\":%s}}",
              f[0], f[1], f[2], f[3], f[4]));
    }
    json.append(']');
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO annotation (grievance_id, boxes, reviewed, updated_at, updated_by,"
                      + " reviewed_at, reviewed_by) VALUES (?, ?, ?, ?, 'Ada', ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, json.toString());
            ps.setBoolean(3, reviewed);
            ps.setObject(4, at);
            ps.setObject(5, reviewed ? at : null);
            ps.setString(6, reviewed ? "Ada" : null);
            ps.executeUpdate();
          }
          return null;
        });
  }
}
