package org.grievance.ssd.register;

import java.nio.file.Path;

/** The operations suite on the default embedded H2 file database. */
class H2OperationsTest extends OperationsContract {
  @Override
  String jdbcUrl(Path dataDir) {
    return null;
  }
}
