package org.grievance.ssd.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.Officials;
import org.grievance.ssd.register.RegisterConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ssd register}: administration of the grievance register's database. */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = "Administers the grievance register.",
    subcommands = {RegisterCommand.AddOfficial.class})
public final class RegisterCommand {

  /** {@code ssd register add-official NAME}: creates an official and prints the bearer token. */
  @Command(
      name = "add-official",
      mixinStandardHelpOptions = true,
      description = {
        "Adds an official and prints their bearer token (shown once; only its SHA-256 is"
            + " stored). Use the same --db/--data as 'ssd serve'."
      })
  static final class AddOfficial implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "The official's name (shown in the audit trail).")
    String name;

    @Option(names = "--db", description = "JDBC URL (default: H2 file database in --data).")
    String db;

    @Option(
        names = "--data",
        defaultValue = "data",
        description = "Data directory of the embedded database (default: ${DEFAULT-VALUE}).")
    Path data;

    @Override
    public Integer call() throws Exception {
      RegisterConfig config =
          RegisterConfig.builder(Path.of(".")).jdbcUrl(db).dataDir(data).build();
      if (db == null) {
        Files.createDirectories(data);
      }
      try (Database database = Database.open(config.effectiveJdbcUrl())) {
        String token = new Officials(database).add(name);
        var out = spec.commandLine().getOut();
        out.println("official '" + name + "' added; bearer token (shown once, keep it secret):");
        out.println(token);
      }
      return 0;
    }
  }
}
