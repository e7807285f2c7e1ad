package org.grievance.ssd.register;

import java.nio.file.Path;

/** Model versions, promotion and re-tagging on the default embedded H2 file database. */
class H2ModelVersionsTest extends ModelVersionsContract {
  @Override
  String jdbcUrl(Path dataDir) {
    return null;
  }
}
