package org.grievance.ssd.register;

import java.nio.file.Path;

/**
 * The operations suite on PostgreSQL, when a test server is named (see PostgresRegisterApiTest).
 */
class PostgresOperationsTest extends OperationsContract {
  @Override
  String jdbcUrl(Path dataDir) throws Exception {
    return PostgresRegisterApiTest.freshSchema();
  }
}
