package org.grievance.ssd.register;

import org.grievance.ssd.register.export.DatasetExporterTest;

/** The export suite on PostgreSQL, when a test server is named (see PostgresRegisterApiTest). */
class PostgresDatasetExporterTest extends DatasetExporterTest {
  @Override
  protected String jdbcUrl() throws Exception {
    return PostgresRegisterApiTest.freshSchema();
  }
}
