package org.grievance.ssd.register;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Deletes photos that no grievance references (in a folder or a bucket, {@link PhotoStore}), nor a
 * {@link ModelVersions model version} (the store also keeps the promoted models' archives). They
 * come from a submission whose insert failed or was refused after its photos were written (the
 * files go first, so that a row never points at a missing file), or from a process killed in
 * between.
 *
 * <p>A file is deleted only when it is unreferenced <em>and</em> was last modified before the
 * cut-off: a request in flight (in this process, or in another replica sharing the photo folder)
 * has written or touched its files but not yet committed its row. {@link PhotoStore#put} touches a
 * photo it finds already stored (a bucket's PUT rewrites it), so a photo re-submitted while the
 * sweep runs is left alone. The files are not deleted right after a failed insert either: the same
 * content may belong to a concurrent submission that is about to commit.
 */
public final class OrphanPhotos {
  /**
   * How old an unreferenced file must be to be deleted: far longer than any request may run
   * (detection waits at most its timeout, uploads are bounded by the server's timeouts).
   */
  public static final Duration MIN_AGE = Duration.ofHours(1);

  private static final String REFERENCED =
      "SELECT photo_sha256 AS h FROM grievance UNION SELECT annotated_sha256 FROM grievance"
          + " UNION SELECT archive_sha256 FROM model_version ORDER BY h";

  private OrphanPhotos() {}

  /** What a sweep deleted. */
  public record Swept(int files, long bytes) {}

  /**
   * Deletes the photos in {@code store} that no grievance in {@code db} references and that were
   * last modified before {@code cutoff}.
   */
  public static Swept sweep(Database db, PhotoStore store, Instant cutoff)
      throws IOException, SQLException {
    List<String> unreferenced;
    try {
      // In a transaction: PostgreSQL streams a result with a cursor only outside auto-commit.
      unreferenced = db.inTransaction(c -> unreferenced(c, store));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    int files = 0;
    long bytes = 0;
    for (String hash : unreferenced) {
      long size = store.deleteIfOlder(hash, cutoff);
      if (size >= 0) {
        files++;
        bytes += size;
      }
    }
    return new Swept(files, bytes);
  }

  /**
   * The stored hashes that no row references: the files and the referenced hashes, both in
   * ascending order, are walked side by side, so neither list is held in memory.
   */
  private static List<String> unreferenced(java.sql.Connection c, PhotoStore store)
      throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(REFERENCED);
        Stream<String> files = store.hashes()) {
      ps.setFetchSize(1000);
      try (ResultSet rs = ps.executeQuery()) {
        String ref = next(rs, null);
        for (Iterator<String> it = files.iterator(); it.hasNext(); ) {
          String hash = it.next();
          while (ref != null && ref.compareTo(hash) < 0) {
            ref = next(rs, ref);
          }
          if (!hash.equals(ref)) {
            out.add(hash);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The next referenced hash, or null at the end. The walk is only right if the database sorts as
   * Java does (it does for lower-case hex under any collation); if it ever did not, the sweep stops
   * rather than delete a referenced photo.
   */
  private static String next(ResultSet rs, String previous) throws SQLException {
    if (!rs.next()) {
      return null;
    }
    String h = rs.getString(1).strip();
    if (previous != null && h.compareTo(previous) < 0) {
      throw new SQLException(
          "the database does not sort photo hashes as expected ('"
              + h
              + "' after '"
              + previous
              + "'); orphan sweep skipped");
    }
    return h;
  }
}
