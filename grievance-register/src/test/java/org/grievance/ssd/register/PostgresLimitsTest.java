package org.grievance.ssd.register;

import java.nio.file.Path;

/**
 * The limits and attack suite on PostgreSQL (skipped when {@code REGISTER_TEST_POSTGRES_URL} is not
 * set): the refusals must happen before anything reaches the database, whichever it is.
 */
class PostgresLimitsTest extends LimitsTest {
  @Override
  String jdbcUrl(Path tmp) throws Exception {
    return PostgresRegisterApiTest.freshSchema();
  }
}
