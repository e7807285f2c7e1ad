package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transactions that lose a race are run again; everything else fails at once. */
class DatabaseTest {
  Database db;

  @BeforeEach
  void open() {
    db = Database.open("jdbc:h2:mem:db-test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  @AfterEach
  void close() {
    db.close();
  }

  void insertLock(java.sql.Connection c, String cell) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO area_lock (cell) VALUES (?)")) {
      s.setString(1, cell);
      s.executeUpdate();
    }
  }

  int locks() throws SQLException {
    return db.read(
        c -> {
          try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM area_lock")) {
            rs.next();
            return rs.getInt(1);
          }
        });
  }

  @Test
  void aTransientFailureIsRolledBackAndRunAgain() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    String result =
        db.inTransaction(
            c -> {
              insertLock(c, "cell");
              if (runs.incrementAndGet() < 3) {
                throw new SQLException("deadlock detected", "40P01");
              }
              return "done";
            });
    assertThat(result).isEqualTo("done");
    assertThat(runs).hasValue(3);
    assertThat(locks()).as("the failed runs left nothing behind").isEqualTo(1);
  }

  @Test
  void otherFailuresAreNotRetried() {
    AtomicInteger runs = new AtomicInteger();
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    c -> {
                      runs.incrementAndGet();
                      throw new SQLException("duplicate key", "23505");
                    }))
        .isInstanceOf(SQLException.class);
    assertThat(runs).hasValue(1);
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    c -> {
                      runs.incrementAndGet();
                      throw new IllegalStateException("a bug");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(runs).hasValue(2);
  }

  @Test
  void aRaceLostEveryTimeIsReportedAsTransient() {
    AtomicInteger runs = new AtomicInteger();
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    c -> {
                      runs.incrementAndGet();
                      SQLException outer = new SQLException("batch failed", "XX000");
                      outer.setNextException(new SQLException("lock timeout", "HYT00"));
                      throw outer;
                    }))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(Database.isTransient(e)).isTrue());
    assertThat(runs).hasValue(Database.ATTEMPTS);
    assertThat(Database.isTransient(new SQLException("x", "23505"))).isFalse();
    assertThat(Database.isTransient(new SQLException("x", (String) null))).isFalse();
  }

  @Test
  void aRealDeadlockEndsWithBothTransactionsDone() throws Exception {
    db.inTransaction(
        c -> {
          insertLock(c, "a");
          insertLock(c, "b");
          return null;
        });
    // Each takes one row, then waits until the other has taken its own before it asks for the
    // other row: a deadlock on the first run; the database aborts one, which then runs again.
    CountDownLatch bothHoldOne = new CountDownLatch(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> done = new java.util.ArrayList<>();
      for (String[] order : new String[][] {{"a", "b"}, {"b", "a"}}) {
        done.add(
            pool.submit(
                () ->
                    db.inTransaction(
                        c -> {
                          lockRow(c, order[0]);
                          bothHoldOne.countDown();
                          try {
                            bothHoldOne.await(10, TimeUnit.SECONDS);
                          } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                          }
                          lockRow(c, order[1]);
                          return order[0];
                        })));
      }
      assertThat(done.get(0).get(60, TimeUnit.SECONDS)).isEqualTo("a");
      assertThat(done.get(1).get(60, TimeUnit.SECONDS)).isEqualTo("b");
    } finally {
      pool.shutdownNow();
    }
  }

  static void lockRow(java.sql.Connection c, String cell) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT cell FROM area_lock WHERE cell = ? FOR UPDATE")) {
      s.setString(1, cell);
      s.executeQuery().close();
    }
  }
}
