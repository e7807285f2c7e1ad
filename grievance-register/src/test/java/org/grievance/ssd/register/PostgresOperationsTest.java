package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The operations suite on PostgreSQL, when a test server is named (see PostgresRegisterApiTest).
 */
class PostgresOperationsTest extends OperationsContract {
  @Override
  String jdbcUrl(Path dataDir) throws Exception {
    return PostgresRegisterApiTest.freshSchema();
  }

  /**
   * The set-up docs/running-in-public.md describes: the owner migrates, the service runs as a role
   * that may read and write rows but not change the schema.
   */
  @Test
  void serviceRunsAsALeastPrivilegeRoleAfterTheOwnerMigrates() throws Exception {
    String ownerUrl = config.effectiveJdbcUrl();
    String schema =
        ownerUrl.substring(ownerUrl.indexOf("currentSchema=") + "currentSchema=".length());
    String role = "register_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String appUrl =
        PostgresRegisterApiTest.serverUrl().replaceAll("user=[^&]*", "user=" + role)
            + "&currentSchema="
            + schema;
    try (Connection c = DriverManager.getConnection(ownerUrl);
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + role + " LOGIN");
      s.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
    }
    try {
      assertThatThrownBy(() -> Database.open(appUrl, false))
          .isInstanceOf(Database.SchemaNotCurrentException.class)
          .hasMessageContaining("ssd register migrate");
      assertThat(Database.migrate(ownerUrl)).isPositive();
      try (Connection c = DriverManager.getConnection(ownerUrl);
          Statement s = c.createStatement()) {
        s.execute(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "
                + schema
                + " TO "
                + role);
        s.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role);
      }
      try (Database db = Database.open(appUrl, false)) {
        String photo = PhotoStore.sha256(randomBytes(7));
        assertThat(insert(db, photo, photo)).isPositive();
        String token = new Officials(db).add("Ada");
        assertThat(new Officials(db).authenticate(token)).isPresent();
        assertThatThrownBy(
                () ->
                    db.read(
                        c -> {
                          try (Statement s = c.createStatement()) {
                            return s.execute("CREATE TABLE not_allowed (id INT)");
                          }
                        }))
            .as("the role really may not change the schema")
            .isInstanceOf(SQLException.class);
      }
    } finally {
      try (Connection c = DriverManager.getConnection(ownerUrl);
          Statement s = c.createStatement()) {
        s.execute("DROP OWNED BY " + role);
        s.execute("DROP ROLE " + role);
      }
    }
  }
}
