package org.grievance.ssd.register;

import java.nio.file.Path;

/**
 * Model versions, promotion and re-tagging on PostgreSQL, when a test server is named (see
 * PostgresRegisterApiTest).
 */
class PostgresModelVersionsTest extends ModelVersionsContract {
  @Override
  String jdbcUrl(Path dataDir) throws Exception {
    return PostgresRegisterApiTest.freshSchema();
  }
}
