package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.Officials;
import org.grievance.ssd.register.RegisterConfig;
import org.grievance.ssd.register.store.NewGrievance;
import org.grievance.ssd.register.workflow.GrievanceWorkflow;
import org.grievance.ssd.register.workflow.Patch;
import org.grievance.ssd.register.workflow.Status;
import org.grievance.ssd.testing.ServerProcesses;
import org.grievance.ssd.testing.TinyModels;
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

  /** {@code ssd serve} in a separate JVM, as an operator runs it; killed on close. */
  static final class ServeProcess implements AutoCloseable {
    final Process process;
    final int port;

    ServeProcess(Path model, Path data) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      process =
          new ProcessBuilder(
                  java,
                  "-Dai.djl.offline=true",
                  "-Djava.awt.headless=true",
                  "-cp",
                  System.getProperty("java.class.path"),
                  SsdCli.class.getName(),
                  "serve",
                  "--model",
                  model.toString(),
                  "--port",
                  "0",
                  "--data",
                  data.toString(),
                  "--workers",
                  "1")
              .redirectErrorStream(true)
              .start();
      port = ServerProcesses.awaitPort(process);
    }

    /** The status of {@code GET /api/grievances} (officials only) with {@code token}. */
    int listStatus(String token) throws Exception {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/grievances"))
                      .header("Authorization", "Bearer " + token)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return r.statusCode();
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void officialsAreAdministeredWhileTheServerHoldsTheEmbeddedDatabase() throws Exception {
    Path run = TinyModels.run(tmp.resolve("run"), TinyModels.ssd7(List.of("pothole")), 3);
    Path data = tmp.resolve("data");
    try (ServeProcess serve = new ServeProcess(run, data)) {
      CliRunner.Result added =
          CliRunner.run("register", "add-official", "Ada", "--data", data.toString());
      assertThat(added.exitCode()).as(added.err()).isZero();
      String[] lines = added.out().strip().split("\\R");
      String token = lines[lines.length - 1].strip();
      assertThat(serve.listStatus(token))
          .as("the new token works on the running server")
          .isEqualTo(200);

      CliRunner.Result listed =
          CliRunner.run("register", "list-officials", "--data", data.toString());
      assertThat(listed.exitCode()).as(listed.err()).isZero();
      assertThat(listed.out()).containsPattern("Ada\\s+active");

      CliRunner.Result revoked =
          CliRunner.run("register", "revoke-official", "Ada", "--data", data.toString());
      assertThat(revoked.exitCode()).as(revoked.err()).isZero();
      assertThat(serve.listStatus(token)).as("revocation takes effect at once").isEqualTo(401);

      Path backup = tmp.resolve("online.sql.gz");
      CliRunner.Result b =
          CliRunner.run(
              "register", "backup", "--out", backup.toString(), "--data", data.toString());
      assertThat(b.exitCode()).as("backups are taken online: " + b.err()).isZero();
      CliRunner.Result r =
          CliRunner.run(
              "register",
              "restore",
              "--from",
              backup.toString(),
              "--force",
              "--data",
              data.toString());
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err()).contains("in use").contains("stop it");
      assertThat(serve.listStatus(token)).as("the server is untouched").isEqualTo(401);

      // The embedded database's TCP server listens on loopback only.
      Properties lock = new Properties();
      try (var in = Files.newInputStream(data.resolve("db").resolve("register.lock.db"))) {
        lock.load(in);
      }
      String server = lock.getProperty("server");
      String host = server.substring(0, server.lastIndexOf(':'));
      int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
      assertThat(InetAddress.getByName(host).isLoopbackAddress()).as(server).isTrue();
      for (InetAddress other : nonLoopbackAddresses()) {
        assertThatThrownBy(
                () -> {
                  try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(other, port), 2000);
                  }
                })
            .as("the database port is not reachable on %s", other)
            .isInstanceOf(IOException.class);
      }
    }
  }

  static List<InetAddress> nonLoopbackAddresses() throws IOException {
    List<InetAddress> out = new java.util.ArrayList<>();
    for (NetworkInterface nic :
        java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
          if (a instanceof java.net.Inet4Address) {
            out.add(a);
          }
        }
      }
    }
    return out;
  }

  /** Every row of the register's tables, in a stable order, as text. */
  static String contents(Database db) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String table :
        List.of(
            "official ORDER BY id",
            "grievance ORDER BY id",
            "grievance_category ORDER BY grievance_id, category",
            "audit_event ORDER BY id")) {
      db.read(
          c -> {
            try (var s = c.createStatement();
                var rs = s.executeQuery("SELECT * FROM " + table)) {
              int n = rs.getMetaData().getColumnCount();
              while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                  out.append(rs.getString(i)).append('|');
                }
                out.append('\n');
              }
            }
            return null;
          });
    }
    return out.toString();
  }

  static String url(Path data) {
    return RegisterConfig.builder(Path.of(".")).dataDir(data).build().effectiveJdbcUrl();
  }

  @Test
  void backupAndRestoreCarryGrievancesOfficialsAndAuditTrail() throws Exception {
    Path a = tmp.resolve("a");
    CliRunner.Result added =
        CliRunner.run("register", "add-official", "Ada", "--data", a.toString());
    assertThat(added.exitCode()).as(added.err()).isZero();
    String token = added.out().strip().substring(added.out().strip().lastIndexOf('\n') + 1);
    String before;
    try (Database db = Database.open(url(a))) {
      GrievanceWorkflow workflow = new GrievanceWorkflow(db, 50);
      String hash = "ab".repeat(32);
      for (int i = 0; i < 3; i++) {
        long id =
            workflow.create(
                new NewGrievance(
                    "pothole " + i + " with 'quotes';\nand a new line",
                    48.85 + i,
                    2.35,
                    null,
                    hash,
                    "image/jpeg",
                    hash,
                    60,
                    60,
                    "run/best",
                    "[]",
                    Map.of("pothole", 0.9)));
        workflow.patch(
            id, new Patch(Status.IN_PROGRESS, null, "on it", null), "Ada", Set.of("pothole"), null);
      }
      before = contents(db);
    }
    assertThat(before).contains("on it").contains("pothole 2");

    Path backup = tmp.resolve("backups/register.sql.gz");
    CliRunner.Result b =
        CliRunner.run("register", "backup", "--out", backup.toString(), "--data", a.toString());
    assertThat(b.exitCode()).as(b.err()).isZero();
    assertThat(b.out()).contains("photos");
    assertThat(backup).isRegularFile();
    try (var files = Files.list(backup.getParent())) {
      assertThat(files).as("written atomically: no temporary file left").containsExactly(backup);
    }

    Path fresh = tmp.resolve("fresh");
    CliRunner.Result r =
        CliRunner.run(
            "register", "restore", "--from", backup.toString(), "--data", fresh.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    try (Database db = Database.open(url(fresh))) {
      assertThat(contents(db)).isEqualTo(before);
      assertThat(new Officials(db).authenticate(token)).as("the token survives").isPresent();
      assertThat(new GrievanceWorkflow(db, 50).create(newGrievance()))
          .as("identities continue after the restored rows")
          .isGreaterThan(3);
    }

    CliRunner.Result refused =
        CliRunner.run(
            "register", "restore", "--from", backup.toString(), "--data", fresh.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("not empty").contains("--force");
    CliRunner.Result forced =
        CliRunner.run(
            "register",
            "restore",
            "--from",
            backup.toString(),
            "--data",
            fresh.toString(),
            "--force");
    assertThat(forced.exitCode()).as(forced.err()).isZero();
    try (Database db = Database.open(url(fresh))) {
      assertThat(contents(db))
          .as("the grievance added after the restore is gone")
          .isEqualTo(before);
    }
  }

  static NewGrievance newGrievance() {
    String hash = "cd".repeat(32);
    return new NewGrievance(
        "later", 1.0, 1.0, null, hash, "image/jpeg", hash, 60, 60, "run/best", "[]", Map.of());
  }

  @Test
  void backupAndRestoreOnPostgresqlPointToItsOwnTools() {
    String pg = "jdbc:postgresql://127.0.0.1:1/none";
    CliRunner.Result b =
        CliRunner.run("register", "backup", "--out", tmp.resolve("x").toString(), "--db", pg);
    assertThat(b.exitCode()).isEqualTo(1);
    assertThat(b.err()).contains("pg_dump").contains("pg_restore");
    assertThat(tmp.resolve("x")).doesNotExist();
    CliRunner.Result r =
        CliRunner.run("register", "restore", "--from", tmp.resolve("x").toString(), "--db", pg);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("pg_restore");
  }

  @Test
  void restoreNamesAMissingBackupFile() {
    CliRunner.Result r =
        CliRunner.run(
            "register",
            "restore",
            "--from",
            tmp.resolve("missing.sql.gz").toString(),
            "--data",
            tmp.resolve("d").toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("missing.sql.gz");
  }
}
