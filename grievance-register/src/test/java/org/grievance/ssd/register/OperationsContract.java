package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.grievance.ssd.register.store.NewGrievance;
import org.grievance.ssd.register.workflow.GrievanceWorkflow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operations on the register's database and photo folder (orphan sweep, migrations, backups),
 * against whatever database the subclass gives; each test gets a fresh one.
 */
abstract class OperationsContract {
  @TempDir Path tmp;
  RegisterConfig config;

  /** The JDBC URL of an empty database, or null for the embedded H2 under the data directory. */
  abstract String jdbcUrl(Path dataDir) throws Exception;

  @BeforeEach
  void configure() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data);
    config =
        RegisterConfig.builder(tmp.resolve("model")).jdbcUrl(jdbcUrl(data)).dataDir(data).build();
  }

  static byte[] randomBytes(long seed) {
    byte[] b = new byte[200];
    new Random(seed).nextBytes(b);
    return b;
  }

  static long insert(Database db, String photo, String annotated) throws Exception {
    return new GrievanceWorkflow(db, 50)
        .create(
            new NewGrievance(
                "a pothole",
                48.85,
                2.35,
                null,
                photo,
                "image/jpeg",
                annotated,
                60,
                60,
                "run/best",
                "[]",
                Map.of("pothole", 0.9)));
  }

  static void age(Path file, Duration by) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(by)));
  }

  @Test
  void orphanSweepDeletesOnlyOldUnreferencedPhotos() throws Exception {
    FolderPhotoStore store = new FolderPhotoStore(config.dataDir().resolve("photos"));
    try (Database db = Database.open(config.effectiveJdbcUrl())) {
      List<String> referenced = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String photo = store.put(randomBytes(2L * i));
        String annotated = store.put(randomBytes(2L * i + 1));
        insert(db, photo, annotated);
        referenced.add(photo);
        referenced.add(annotated);
      }
      String oldOrphan = store.put(randomBytes(100));
      String freshOrphan = store.put(randomBytes(101));
      String touchedOrphan = store.put(randomBytes(102));
      for (String h : referenced) {
        age(store.path(h), Duration.ofHours(3));
      }
      age(store.path(oldOrphan), Duration.ofHours(2));
      age(store.path(touchedOrphan), Duration.ofHours(2));
      // Submitted again while the sweep would run: put touches the file, so it counts as fresh.
      assertThat(store.put(randomBytes(102))).isEqualTo(touchedOrphan);

      OrphanPhotos.Swept swept =
          OrphanPhotos.sweep(db, store, Instant.now().minus(OrphanPhotos.MIN_AGE));

      assertThat(swept.files()).isEqualTo(1);
      assertThat(swept.bytes()).isEqualTo(200);
      assertThat(store.path(oldOrphan)).doesNotExist();
      assertThat(store.path(freshOrphan)).exists();
      assertThat(store.path(touchedOrphan)).exists();
      for (String h : referenced) {
        assertThat(store.path(h)).as("referenced photo %s", h).exists();
      }
      assertThat(OrphanPhotos.sweep(db, store, Instant.now().plusSeconds(60)).files())
          .as("with a cut-off in the future the two unreferenced files go, no referenced one")
          .isEqualTo(2);
      try (var c = db.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT photo_sha256, annotated_sha256 FROM grievance")) {
        while (rs.next()) {
          assertThat(store.path(rs.getString(1).strip())).exists();
          assertThat(store.path(rs.getString(2).strip())).exists();
        }
      }
    }
  }

  @Test
  void orphanSweepOfAnEmptyFolderDeletesNothing() throws Exception {
    FolderPhotoStore store = new FolderPhotoStore(config.dataDir().resolve("photos"));
    try (Database db = Database.open(config.effectiveJdbcUrl())) {
      assertThat(OrphanPhotos.sweep(db, store, Instant.now().plusSeconds(60)))
          .isEqualTo(new OrphanPhotos.Swept(0, 0));
    }
  }

  @Test
  void withoutMigratingAnOutdatedSchemaIsRefusedUntilMigrated() throws Exception {
    String url = config.effectiveJdbcUrl();
    assertThatThrownBy(() -> Database.open(url, false))
        .isInstanceOf(Database.SchemaNotCurrentException.class)
        .hasMessageContaining("empty database")
        .hasMessageContaining("pending")
        .hasMessageContaining("ssd register migrate");
    assertThat(Database.migrate(url)).as("every migration applied").isPositive();
    assertThat(Database.migrate(url)).as("nothing left to apply").isZero();
    try (Database db = Database.open(url, false)) {
      String photo = PhotoStore.sha256(randomBytes(1));
      assertThat(insert(db, photo, photo)).isPositive();
    }
  }
}
