package org.grievance.ssd.register;

import java.nio.file.Path;

/** The API suite on the default embedded H2 file database. */
class H2RegisterApiTest extends RegisterApiContract {
  @Override
  String jdbcUrl(Path tmp) {
    return null;
  }
}
