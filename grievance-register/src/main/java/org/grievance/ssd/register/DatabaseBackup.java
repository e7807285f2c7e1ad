package org.grievance.ssd.register;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.zip.GZIPOutputStream;
import org.grievance.ssd.io.AtomicFiles;

/**
 * Backs up and restores the embedded H2 database as a gzip-compressed SQL script (H2's {@code
 * SCRIPT}): readable, and restorable by a later H2 version, unlike a copy of the database file. The
 * script is taken online, from one snapshot, and written atomically. Photos are not in it: the
 * photo folder is content-addressed and append-only, so a file copy taken <em>after</em> the script
 * holds every photo the script references. PostgreSQL has its own tools ({@link #POSTGRES_GUIDE}).
 */
public final class DatabaseBackup {
  /** What to run instead on PostgreSQL. */
  public static final String POSTGRES_GUIDE =
      "on PostgreSQL use its own tools, with the connection details of --db:\n"
          + "  backup:  pg_dump --format=custom --file=register.dump DBNAME\n"
          + "  restore: pg_restore --clean --if-exists --no-owner --dbname=DBNAME register.dump\n"
          + "(see docs/running-in-public.md, 'Backups')";

  private DatabaseBackup() {}

  /** Whether {@code jdbcUrl} is an H2 database, the only kind these commands back up. */
  public static boolean isH2(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:h2:");
  }

  /**
   * Writes the whole database as a script to {@code out} (gzip); returns the statements written.
   */
  public static long backup(Database db, Path out) throws IOException, SQLException {
    long[] statements = {0};
    try (Connection c = db.dataSource().getConnection()) {
      // One snapshot for every table: a grievance committed during the backup is either wholly in
      // it (row, categories, audit) or not at all. Repeatable read is not enough: once a migration
      // changed the order in which SCRIPT reads the tables (V7 altering model_version, which
      // grievance references), the backup test found grievances without their categories, i.e.
      // tables read from different moments; serializable reads them all from one.
      int isolation = c.getTransactionIsolation();
      c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      c.setAutoCommit(false);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SCRIPT")) {
        AtomicFiles.write(
            out,
            raw -> {
              // finish(), not close(): the atomic writer still forces and closes the file.
              GZIPOutputStream gz = new GZIPOutputStream(raw, 1 << 16);
              try {
                while (rs.next()) {
                  gz.write(rs.getString(1).getBytes(StandardCharsets.UTF_8));
                  gz.write('\n');
                  statements[0]++;
                }
              } catch (SQLException e) {
                throw new IOException("reading the database for the backup failed: " + e, e);
              }
              gz.finish();
            });
        c.commit();
      } finally {
        c.setAutoCommit(true);
        c.setTransactionIsolation(isolation);
      }
    }
    return statements[0];
  }

  /** Thrown when a restore would overwrite data and was not forced. */
  public static final class NotEmptyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NotEmptyException(String message) {
      super(message);
    }
  }

  /**
   * Replaces the database's content with the backup {@code from}. Refuses a database that holds
   * grievances or officials unless {@code force}.
   */
  public static void restore(Database db, Path from, boolean force)
      throws IOException, SQLException {
    if (!Files.isRegularFile(from)) {
      throw new IOException("no backup file at " + from);
    }
    db.inTransaction(
        c -> {
          long rows = count(c, "grievance") + count(c, "official");
          if (rows > 0 && !force) {
            throw new NotEmptyException(
                "the database is not empty ("
                    + count(c, "grievance")
                    + " grievances, "
                    + count(c, "official")
                    + " officials); restoring would replace them: give --force to do so");
          }
          try (Statement s = c.createStatement()) {
            s.execute("DROP ALL OBJECTS");
            s.execute(
                "RUNSCRIPT FROM '"
                    + from.toAbsolutePath().toString().replace("'", "''")
                    + "' COMPRESSION GZIP");
          }
          return null;
        });
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
