package org.grievance.ssd.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.DatabaseBackup;
import org.grievance.ssd.register.Officials;
import org.grievance.ssd.register.RegisterConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ssd register}: administration of the grievance register's database. */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = "Administers the grievance register.",
    subcommands = {
      RegisterCommand.AddOfficial.class,
      RegisterCommand.ListOfficials.class,
      RegisterCommand.RevokeOfficial.class,
      RegisterCommand.Migrate.class,
      RegisterCommand.Backup.class,
      RegisterCommand.Restore.class,
      RegisterExportCommand.class,
      RegisterEvaluateCommand.class,
      RegisterPromoteCommand.class,
      RegisterRetagCommand.class,
      RegisterModelsCommand.class
    })
public final class RegisterCommand {

  /** The database options every administration command shares with {@code ssd serve}. */
  public static final class DatabaseOptions {
    @Option(names = "--db", description = "JDBC URL (default: H2 file database in --data).")
    String db;

    @Option(
        names = "--data",
        defaultValue = "data",
        description = "Data directory of the embedded database (default: ${DEFAULT-VALUE}).")
    Path data;

    public Database open() throws java.io.IOException {
      return Database.open(jdbcUrl());
    }

    /** The URL 'ssd serve' with the same options uses; creates the data directory for H2. */
    public String jdbcUrl() throws java.io.IOException {
      return config().effectiveJdbcUrl();
    }

    public RegisterConfig config() throws java.io.IOException {
      if (db == null) {
        Files.createDirectories(data);
      }
      return RegisterConfig.builder(Path.of(".")).jdbcUrl(db).dataDir(data).build();
    }

    /** The photo store 'ssd serve' with the same options and {@code photos} uses; close it. */
    org.grievance.ssd.register.PhotoStore openPhotos(PhotoOptions photos)
        throws java.io.IOException {
      org.grievance.ssd.register.PhotoLocation where = photos.location();
      return org.grievance.ssd.register.PhotoStore.open(
          where != null ? where : config().effectivePhotos());
    }
  }

  /** {@code --expires-in 90d} or {@code --expires-on 2025-12-31}; neither: never expires. */
  static final class Expiry {
    @Option(
        names = "--expires-in",
        paramLabel = "DURATION",
        description = "The token stops working after this long: 90d, 12h or ISO-8601 (P90D).")
    String expiresIn;

    @Option(
        names = "--expires-on",
        paramLabel = "DATE",
        description = "The token stops working at the start of this day, UTC (2025-12-31).")
    LocalDate expiresOn;

    Instant at(Clock clock) {
      if (expiresOn != null) {
        return expiresOn.atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return expiresIn == null
          ? null
          : clock.instant().plus(duration(expiresIn)).truncatedTo(ChronoUnit.SECONDS);
    }
  }

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,6})\\s*([dhm])");

  /** {@code 90d}, {@code 12h}, {@code 30m} or an ISO-8601 duration; positive. */
  static Duration duration(String text) {
    String v = text.strip().toLowerCase(Locale.ROOT);
    Duration d;
    Matcher m = SHORT_DURATION.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      ChronoUnit unit =
          switch (m.group(2)) {
            case "d" -> ChronoUnit.DAYS;
            case "h" -> ChronoUnit.HOURS;
            default -> ChronoUnit.MINUTES;
          };
      d = Duration.of(n, unit);
    } else {
      try {
        d = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "--expires-in must be like 90d, 12h, 30m or P90D, got '" + text + "'");
      }
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("--expires-in must be positive, got '" + text + "'");
    }
    return d;
  }

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

    @Mixin DatabaseOptions database;

    @ArgGroup(exclusive = true)
    Expiry expiry;

    @Option(
        names = "--replace",
        description =
            "Give an existing official a new token (the old one stops working at once;"
                + " lifts a revocation).")
    boolean replace;

    @Override
    public Integer call() throws Exception {
      Instant expires = expiry == null ? null : expiry.at(Clock.systemUTC());
      try (Database db = database.open()) {
        Officials officials = new Officials(db);
        String token =
            replace ? officials.replaceToken(name, expires) : officials.add(name, expires);
        var out = spec.commandLine().getOut();
        out.println(
            "official '"
                + name
                + "' "
                + (replace ? "has a new token" : "added")
                + (expires == null ? "" : ", valid until " + expires)
                + "; bearer token (shown once, keep it secret):");
        out.println(token);
      }
      return 0;
    }
  }

  /** {@code ssd register list-officials}: who holds a token, and its state; never the token. */
  @Command(
      name = "list-officials",
      mixinStandardHelpOptions = true,
      description = {
        "Lists officials: name, when the token was made, when it expires, whether it is revoked and"
            + " when it was last used (to the minute). Never shows tokens or their hashes."
      })
  static final class ListOfficials implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin DatabaseOptions database;

    @Override
    public Integer call() throws Exception {
      try (Database db = database.open()) {
        print(spec.commandLine().getOut(), new Officials(db).list(), Instant.now());
      }
      return 0;
    }

    static void print(PrintWriter out, List<Officials.Account> accounts, Instant now) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"name", "state", "created", "expires", "revoked", "last used"});
      for (Officials.Account a : accounts) {
        String state = a.revoked() != null ? "revoked" : a.isActive(now) ? "active" : "expired";
        rows.add(
            new String[] {
              a.name(),
              state,
              shown(a.created(), "-"),
              shown(a.expires(), "never"),
              shown(a.revoked(), "-"),
              shown(a.lastUsed(), "never")
            });
      }
      int[] width = new int[rows.get(0).length];
      for (String[] r : rows) {
        for (int i = 0; i < r.length; i++) {
          width[i] = Math.max(width[i], r[i].length());
        }
      }
      for (String[] r : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < r.length; i++) {
          line.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
        }
        out.println(line.toString().stripTrailing());
      }
      if (accounts.isEmpty()) {
        out.println("(no officials; add one with 'ssd register add-official NAME')");
      }
      out.flush();
    }

    private static String shown(Instant t, String none) {
      return t == null ? none : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
  }

  /** {@code ssd register revoke-official NAME}: the token stops working on the next request. */
  @Command(
      name = "revoke-official",
      mixinStandardHelpOptions = true,
      description = {
        "Revokes an official's token: it stops working on the server's next request (tokens are"
            + " checked against the database every time). Their name stays in the audit trail;"
            + " 'add-official NAME --replace' issues a new token."
      })
  static final class RevokeOfficial implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "The official's name.")
    String name;

    @Mixin DatabaseOptions database;

    @Override
    public Integer call() throws Exception {
      try (Database db = database.open()) {
        boolean now = new Officials(db).revoke(name);
        spec.commandLine()
            .getOut()
            .println("official '" + name + "' " + (now ? "revoked" : "was already revoked") + ".");
      }
      return 0;
    }
  }

  /** {@code ssd register migrate}: applies pending schema migrations, for servers run without. */
  @Command(
      name = "migrate",
      mixinStandardHelpOptions = true,
      description = {
        "Brings the database schema up to date. Run it with a database user allowed to change the"
            + " schema before starting 'ssd serve --migrate=false' under a user that is not."
      })
  static final class Migrate implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin DatabaseOptions database;

    @Override
    public Integer call() throws Exception {
      int applied = Database.migrate(database.jdbcUrl());
      spec.commandLine()
          .getOut()
          .println(
              applied == 0
                  ? "the schema is up to date; nothing to migrate."
                  : "applied " + applied + " migration(s); the schema is up to date.");
      return 0;
    }
  }

  /** {@code ssd register backup --out FILE}: the embedded database as a compressed SQL script. */
  @Command(
      name = "backup",
      mixinStandardHelpOptions = true,
      description = {
        "Writes the embedded H2 database to FILE (a gzip-compressed SQL script, written"
            + " atomically) while the server may be running. Copy the photo folder (DATA/photos)"
            + " after it. On PostgreSQL it prints the pg_dump guidance instead."
      })
  static final class Backup implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Backup file.")
    Path out;

    @Mixin DatabaseOptions database;

    @Override
    public Integer call() throws Exception {
      String url = database.jdbcUrl();
      if (!DatabaseBackup.isH2(url)) {
        spec.commandLine().getErr().println("no backup written: " + DatabaseBackup.POSTGRES_GUIDE);
        return 1;
      }
      try (Database db = database.open()) {
        long statements = DatabaseBackup.backup(db, out);
        spec.commandLine()
            .getOut()
            .println(
                "wrote "
                    + out
                    + " ("
                    + statements
                    + " statements); now copy the photo folder "
                    + database.data.resolve("photos")
                    + " (files are never changed, so a plain copy or rsync is enough; photos kept"
                    + " in S3 with --photos s3://... are copied with the bucket's own tools).");
      }
      return 0;
    }
  }

  /** {@code ssd register restore --from FILE}: replaces the embedded database with a backup. */
  @Command(
      name = "restore",
      mixinStandardHelpOptions = true,
      description = {
        "Replaces the embedded H2 database with a backup written by 'ssd register backup'. Stop"
            + " the server first. Refuses a database holding grievances or officials unless"
            + " --force. Restore the photo folder from its copy as well."
      })
  static final class Restore implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "FILE", description = "Backup file.")
    Path from;

    @Option(names = "--force", description = "Replace a database that is not empty.")
    boolean force;

    @Mixin DatabaseOptions database;

    @Override
    public Integer call() throws Exception {
      RegisterConfig config = database.config();
      if (!DatabaseBackup.isH2(config.effectiveJdbcUrl())) {
        spec.commandLine().getErr().println("nothing restored: " + DatabaseBackup.POSTGRES_GUIDE);
        return 1;
      }
      if (!Files.isRegularFile(from)) {
        throw new IllegalArgumentException("--from: no backup file at " + from);
      }
      Database db;
      try {
        // Without mixed mode: a server holding the database makes this fail instead of having
        // its data replaced under it.
        db = Database.open(config.exclusiveJdbcUrl());
      } catch (RuntimeException e) {
        if (String.valueOf(e.getMessage()).contains("already in use")) {
          throw new IllegalStateException(
              "the database is in use (is 'ssd serve' running on "
                  + database.data
                  + "?): stop it"
                  + " before restoring",
              e);
        }
        throw e;
      }
      try (db) {
        DatabaseBackup.restore(db, from, force);
      }
      spec.commandLine()
          .getOut()
          .println(
              "restored the database from "
                  + from
                  + "; restore the photo folder "
                  + database.data.resolve("photos")
                  + " from its copy too, then start the server (it migrates the schema if the"
                  + " backup is older).");
      return 0;
    }
  }
}
