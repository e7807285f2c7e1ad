package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.RegisterConfig;
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
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder log = new StringBuilder();
      int found = -1;
      for (String line; (line = out.readLine()) != null; ) {
        log.append(line).append('\n');
        if (line.startsWith("listening on port ")) {
          found = Integer.parseInt(line.substring("listening on port ".length()).strip());
          break;
        }
      }
      if (found < 0) {
        process.destroyForcibly();
        throw new IOException("ssd serve did not start:\n" + log);
      }
      port = found;
      Thread drain =
          new Thread(
              () -> {
                try {
                  out.transferTo(Writer.nullWriter());
                } catch (IOException e) {
                  // the process is gone
                }
              });
      drain.setDaemon(true);
      drain.start();
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
}
