package org.grievance.ssd.register;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * The API suite on PostgreSQL, when {@code REGISTER_TEST_POSTGRES_URL} (environment) or {@code
 * register.test.postgres} (system property) names a server, e.g. {@code
 * jdbc:postgresql://localhost/postgres?user=postgres}. Each run gets a fresh schema.
 */
class PostgresRegisterApiTest extends RegisterApiContract {
  static String serverUrl() {
    String url = System.getProperty("register.test.postgres");
    if (url == null || url.isBlank()) {
      url = System.getenv("REGISTER_TEST_POSTGRES_URL");
    }
    return url == null || url.isBlank() ? null : url;
  }

  @Override
  String jdbcUrl(Path tmp) throws Exception {
    return freshSchema();
  }

  /** The URL of a new, empty schema on the test server; skips the test when none is set. */
  static String freshSchema() throws Exception {
    String url = serverUrl();
    assumeTrue(url != null, "REGISTER_TEST_POSTGRES_URL is not set: PostgreSQL suite skipped");
    String schema = "register_test_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
