package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Online backups of the embedded database: taken while grievances are being submitted. */
class DatabaseBackupTest {
  @TempDir Path tmp;

  static String url(Path data) {
    return RegisterConfig.builder(data).dataDir(data).build().effectiveJdbcUrl();
  }

  static long scalar(Database db, String sql) throws Exception {
    return db.read(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  @Test
  void aBackupTakenDuringSubmissionsHoldsWholeGrievancesOnly() throws Exception {
    List<Path> backups = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger inserted = new AtomicInteger();
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (Database db = Database.open(url(tmp.resolve("live")))) {
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int i = 0; !stop.get(); i++) {
                    String h = PhotoStore.sha256(OperationsContract.randomBytes(i));
                    OperationsContract.insert(db, h, h);
                    inserted.incrementAndGet();
                  }
                } catch (Exception e) {
                  failure.set(e);
                }
              });
      writer.start();
      try {
        for (int b = 0; b < 4; b++) {
          while (inserted.get() < 20 * (b + 1) && failure.get() == null) {
            Thread.sleep(5);
          }
          Path out = tmp.resolve("backup-" + b + ".sql.gz");
          DatabaseBackup.backup(db, out);
          backups.add(out);
        }
      } finally {
        stop.set(true);
        writer.join();
      }
    }
    assertThat(failure.get()).isNull();
    long previous = -1;
    for (Path backup : backups) {
      Path data = tmp.resolve("restored-" + backup.getFileName());
      try (Database db = Database.open(url(data))) {
        DatabaseBackup.restore(db, backup, false);
        long grievances = scalar(db, "SELECT COUNT(*) FROM grievance");
        assertThat(grievances).as("%s", backup).isGreaterThan(previous);
        previous = grievances;
        assertThat(
                scalar(
                    db,
                    "SELECT COUNT(*) FROM grievance g WHERE NOT EXISTS (SELECT 1 FROM"
                        + " grievance_category k WHERE k.grievance_id = g.id)"))
            .as("grievances without their categories in %s", backup)
            .isZero();
        assertThat(
                scalar(
                    db,
                    "SELECT COUNT(*) FROM grievance g WHERE NOT EXISTS (SELECT 1 FROM audit_event a"
                        + " WHERE a.grievance_id = g.id)"))
            .as("grievances without their audit trail in %s", backup)
            .isZero();
      }
    }
  }
}
