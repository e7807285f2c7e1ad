package org.grievance.ssd.register;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.ValidateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The register's database: a connection pool over the JDBC URL (H2 file database by default,
 * PostgreSQL by URL) with the schema brought up to date by Flyway on open, or only checked when the
 * runtime user may not change it. The migrations are plain SQL that both databases run unchanged.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /**
   * The TCP server H2 starts for the embedded database ({@code AUTO_SERVER=TRUE}) accepts
   * connections from other hosts and binds every interface unless {@code h2.bindAddress} says
   * otherwise; the register's administration runs on the same machine, so loopback it is. H2 reads
   * the property once, when its first connection is made: hence here, before any. An operator's own
   * {@code -Dh2.bindAddress} wins.
   */
  static final String H2_BIND_ADDRESS = "h2.bindAddress";

  static {
    if (System.getProperty(H2_BIND_ADDRESS) == null) {
      System.setProperty(H2_BIND_ADDRESS, "127.0.0.1");
    }
  }

  private final HikariDataSource pool;

  private Database(HikariDataSource pool) {
    this.pool = pool;
  }

  /**
   * Opens the pool and migrates. User and password may be given as {@code user}/{@code password}
   * URL parameters (PostgreSQL) or {@code ;USER=}/{@code ;PASSWORD=} (H2).
   */
  public static Database open(String jdbcUrl) {
    return open(jdbcUrl, true);
  }

  /**
   * Opens the pool; with {@code migrate} the schema is brought up to date, without it (a database
   * user that may read and write rows but not change the schema) the schema is only checked, and a
   * schema with pending or altered migrations is refused with a message saying what to run.
   */
  public static Database open(String jdbcUrl, boolean migrate) {
    HikariDataSource pool = pool(jdbcUrl);
    try {
      Flyway flyway = flyway(pool);
      if (migrate) {
        flyway.migrate();
      } else {
        requireCurrent(flyway);
      }
      return new Database(pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * Applies the pending migrations ({@code ssd register migrate}, with a user allowed to change the
   * schema) and returns how many were applied.
   */
  public static int migrate(String jdbcUrl) {
    try (HikariDataSource pool = pool(jdbcUrl)) {
      return flyway(pool).migrate().migrationsExecuted;
    }
  }

  private static HikariDataSource pool(String jdbcUrl) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(jdbcUrl);
    hc.setMaximumPoolSize(8);
    hc.setPoolName("register");
    hc.setAutoCommit(true);
    return new HikariDataSource(hc);
  }

  private static Flyway flyway(DataSource pool) {
    return Flyway.configure()
        .dataSource(pool)
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        .load();
  }

  /** Thrown when the schema is not the one this version of the register needs. */
  public static final class SchemaNotCurrentException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    SchemaNotCurrentException(String message) {
      super(message);
    }
  }

  private static void requireCurrent(Flyway flyway) {
    MigrationInfoService info = flyway.info();
    MigrationInfo[] pending = info.pending();
    if (pending.length > 0) {
      MigrationInfo current = info.current();
      throw new SchemaNotCurrentException(
          "the database schema is at version "
              + (current == null ? "none (empty database)" : current.getVersion())
              + " but this register needs version "
              + pending[pending.length - 1].getVersion()
              + " ("
              + pending.length
              + " migration(s) pending) and was started without migrating (--migrate=false):"
              + " run 'ssd register migrate' with a database user allowed to change the schema,"
              + " then start again");
    }
    ValidateResult valid = flyway.validateWithResult();
    if (!valid.validationSuccessful) {
      throw new SchemaNotCurrentException(
          "the database schema does not match this register's migrations: "
              + valid.getAllErrorMessages());
    }
  }

  public DataSource dataSource() {
    return pool;
  }

  /** Work inside one transaction: committed when it returns, rolled back when it throws. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** How many times in all a transaction that lost a race is run before its failure is reported. */
  static final int ATTEMPTS = 5;

  /**
   * SQL states of a transaction that lost a race and may succeed when run again: serialisation
   * failure (both databases, and H2's deadlock), PostgreSQL's deadlock and lock-wait timeout, H2's
   * lock-wait timeout and concurrent update.
   */
  private static final Set<String> TRANSIENT_STATES =
      Set.of("40001", "40P01", "55P03", "HYT00", "90131");

  /**
   * Runs {@code work} in a transaction, and again (after a short random pause, {@link #ATTEMPTS}
   * times in all) when it fails on a transient conflict with a concurrent transaction; {@code work}
   * must therefore have no effect outside the transaction. The last failure is thrown as it is:
   * {@link #isTransient} tells it apart.
   */
  public <T> T inTransaction(Work<T> work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return once(work);
      } catch (SQLException e) {
        if (attempt >= ATTEMPTS || !isTransient(e)) {
          throw e;
        }
        LOG.debug(
            "transaction lost a race (SQL state {}); attempt {} of {}",
            e.getSQLState(),
            attempt + 1,
            ATTEMPTS);
        pause(attempt, e);
      }
    }
  }

  /**
   * Whether {@code e}, or an exception chained to it, says that the transaction lost a race:
   * deadlock, serialisation failure or lock-wait timeout.
   */
  public static boolean isTransient(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        for (SQLException n = s; n != null; n = n.getNextException()) {
          if (n.getSQLState() != null && TRANSIENT_STATES.contains(n.getSQLState())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** A random pause that grows with the attempt, so that the racers do not meet again at once. */
  private static void pause(int attempt, SQLException cause) throws SQLException {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L << attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cause;
    }
  }

  private <T> T once(Work<T> work) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /** Runs read-only {@code work} on a pooled connection. */
  public <T> T read(Work<T> work) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
