package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.RegisterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The operators' commands: migrations, backups, administration beside a running server. */
class RegisterOperationsCommandsTest {
  @TempDir Path tmp;

  @Test
  void serveMigratesUnlessToldNotTo() {
    assertThat(CommandLine.populateCommand(new ServeCommand()).config().migrate()).isTrue();
    assertThat(CommandLine.populateCommand(new ServeCommand(), "--migrate").config().migrate())
        .isTrue();
    assertThat(
            CommandLine.populateCommand(new ServeCommand(), "--migrate=false").config().migrate())
        .isFalse();
  }

  @Test
  void migrateAppliesPendingMigrationsOnce() throws Exception {
    String data = tmp.resolve("data").toString();
    CliRunner.Result first = CliRunner.run("register", "migrate", "--data", data);
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).containsPattern("applied \\d+ migration");
    CliRunner.Result again = CliRunner.run("register", "migrate", "--data", data);
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("up to date; nothing to migrate");
    String url =
        RegisterConfig.builder(tmp).dataDir(tmp.resolve("data")).build().effectiveJdbcUrl();
    try (Database db = Database.open(url, false)) {
      assertThat(db.dataSource()).isNotNull();
    }
  }
}
