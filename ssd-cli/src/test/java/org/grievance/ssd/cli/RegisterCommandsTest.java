package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.grievance.ssd.infer.Tiling;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.Officials;
import org.grievance.ssd.register.RateLimit;
import org.grievance.ssd.register.RegisterConfig;
import org.grievance.ssd.register.TlsSource;
import org.grievance.ssd.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class RegisterCommandsTest {
  @TempDir Path tmp;

  @Test
  void addOfficialPrintsATokenThatAuthenticatesAndRefusesDuplicates() throws Exception {
    Path data = tmp.resolve("data");
    CliRunner.Result r =
        CliRunner.run("register", "add-official", "Ada Lovelace", "--data", data.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\\R");
    String token = lines[lines.length - 1].strip();
    assertThat(token).matches("[A-Za-z0-9_-]{43}");
    String url = RegisterConfig.builder(tmp).dataDir(data).build().effectiveJdbcUrl();
    try (Database db = Database.open(url)) {
      var who = new Officials(db).authenticate(token);
      assertThat(who).isPresent();
      assertThat(who.get().name()).isEqualTo("Ada Lovelace");
      assertThat(new Officials(db).authenticate(token + "x")).isEmpty();
    }
    CliRunner.Result again =
        CliRunner.run("register", "add-official", "Ada Lovelace", "--data", data.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("exists");
  }

  @Test
  void officialsAreListedRevokedExpiredAndReplacedWithoutEverShowingATokenOrHash()
      throws Exception {
    String data = tmp.resolve("data").toString();
    String ada = lastLine(CliRunner.run("register", "add-official", "Ada", "--data", data));
    CliRunner.Result bo =
        CliRunner.run("register", "add-official", "Bo", "--expires-in", "90d", "--data", data);
    assertThat(bo.exitCode()).as(bo.err()).isZero();
    assertThat(bo.out()).contains("valid until");
    String boToken = lastLine(bo);
    CliRunner.Result cy =
        CliRunner.run(
            "register", "add-official", "Cy", "--expires-on", "2999-01-01", "--data", data);
    assertThat(cy.exitCode()).as(cy.err()).isZero();
    CliRunner.Result past =
        CliRunner.run(
            "register", "add-official", "Di", "--expires-on", "2000-01-01", "--data", data);
    assertThat(past.exitCode()).isEqualTo(1);
    assertThat(past.err()).contains("not in the future");
    CliRunner.Result both =
        CliRunner.run(
            "register",
            "add-official",
            "Di",
            "--expires-in",
            "1d",
            "--expires-on",
            "2999-01-01",
            "--data",
            data);
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(
            CliRunner.run("register", "add-official", "Di", "--expires-in", "soon", "--data", data)
                .err())
        .contains("--expires-in");
    CliRunner.Result reserved =
        CliRunner.run("register", "add-official", "Citizen", "--data", data);
    assertThat(reserved.exitCode()).isEqualTo(1);
    assertThat(reserved.err()).contains("reserved");

    String url = RegisterConfig.builder(tmp).dataDir(Path.of(data)).build().effectiveJdbcUrl();
    try (Database db = Database.open(url)) {
      assertThat(new Officials(db).authenticate(ada)).isPresent(); // marks Ada as used
    }
    CliRunner.Result revoked = CliRunner.run("register", "revoke-official", "Ada", "--data", data);
    assertThat(revoked.exitCode()).as(revoked.err()).isZero();
    assertThat(revoked.out()).contains("revoked");
    assertThat(CliRunner.run("register", "revoke-official", "Ada", "--data", data).out())
        .contains("already revoked");
    CliRunner.Result nobody =
        CliRunner.run("register", "revoke-official", "Nobody", "--data", data);
    assertThat(nobody.exitCode()).isEqualTo(1);
    assertThat(nobody.err()).contains("no official named 'Nobody'");

    CliRunner.Result list = CliRunner.run("register", "list-officials", "--data", data);
    assertThat(list.exitCode()).as(list.err()).isZero();
    String[] lines = list.out().strip().split("\\R");
    assertThat(lines[0]).startsWith("name").contains("created", "expires", "revoked", "last used");
    assertThat(lines).hasSize(4);
    assertThat(lines[1]).startsWith("Ada").contains("revoked").doesNotContain("never used");
    assertThat(lines[1]).containsPattern("\\d{4}-\\d\\d-\\d\\dT.*Z\\s+never\\s+\\d{4}-");
    assertThat(lines[2]).startsWith("Bo").contains("active").endsWith("never");
    assertThat(lines[3]).startsWith("Cy").contains("2999-01-01T00:00:00Z");
    for (String secret : List.of(ada, boToken)) {
      assertThat(list.out()).doesNotContain(secret);
    }
    try (Database db = Database.open(url)) {
      assertThat(new Officials(db).authenticate(ada)).as("revoked").isEmpty();
      assertThat(new Officials(db).authenticate(boToken)).isPresent();
      for (Officials.Account a : new Officials(db).list()) {
        assertThat(list.out()).doesNotContain(hashOf(db, a.name()));
      }
    }

    CliRunner.Result replaced =
        CliRunner.run("register", "add-official", "Ada", "--replace", "--data", data);
    assertThat(replaced.exitCode()).as(replaced.err()).isZero();
    String newAda = lastLine(replaced);
    try (Database db = Database.open(url)) {
      assertThat(new Officials(db).authenticate(newAda).orElseThrow().name()).isEqualTo("Ada");
      assertThat(new Officials(db).authenticate(ada)).as("the old token stays dead").isEmpty();
    }
  }

  static String lastLine(CliRunner.Result r) {
    assertThat(r.exitCode()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\\R");
    return lines[lines.length - 1].strip();
  }

  static String hashOf(Database db, String name) throws Exception {
    return db.read(
        c -> {
          try (var q = c.prepareStatement("SELECT token_sha256 FROM official WHERE name = ?")) {
            q.setString(1, name);
            try (var rs = q.executeQuery()) {
              rs.next();
              return rs.getString(1);
            }
          }
        });
  }

  @Test
  void serveOptionsBecomeTheServiceConfiguration() {
    ServeCommand cmd = new ServeCommand();
    new CommandLine(cmd)
        .parseArgs(
            "--model",
            "m",
            "--port",
            "9000",
            "--db",
            "jdbc:postgresql://h/db",
            "--data",
            "d",
            "--tag-threshold",
            "0.3",
            "--duplicate-radius",
            "75",
            "--max-upload-mb",
            "2",
            "--max-megapixels",
            "12",
            "--workers",
            "3",
            "--queue",
            "5");
    RegisterConfig c = cmd.config();
    assertThat(c.modelDir()).isEqualTo(Path.of("m"));
    assertThat(c.port()).isEqualTo(9000);
    assertThat(c.effectiveJdbcUrl()).isEqualTo("jdbc:postgresql://h/db");
    assertThat(c.tagThreshold()).isEqualTo(0.3);
    assertThat(
            CommandLine.populateCommand(new ServeCommand(), "--model", "m").config().tagThreshold())
        .as("unset: the model's per-class thresholds")
        .isNull();
    assertThat(c.duplicateRadiusMeters()).isEqualTo(75);
    assertThat(c.maxUploadBytes()).isEqualTo(2L * 1024 * 1024);
    assertThat(c.maxPixels()).isEqualTo(12_000_000L);
    assertThat(c.workers()).isEqualTo(3);
    assertThat(c.queueCapacity()).isEqualTo(5);
  }

  @Test
  void serveDefaultsToTheQuickstartModelAndEmbeddedDatabaseInData() {
    ServeCommand cmd = new ServeCommand();
    new CommandLine(cmd).parseArgs();
    RegisterConfig c = cmd.config();
    assertThat(c.modelDir()).isEqualTo(Path.of("quickstart/run/best"));
    assertThat(c.host()).as("loopback unless exposing is asked for").isEqualTo("127.0.0.1");
    assertThat(c.tls()).as("plain HTTP, on loopback only").isNull();
    assertThat(c.trustedProxies()).isEmpty();
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.maxUploadBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(c.maxPixels()).isEqualTo(40_000_000L);
    long heap = Runtime.getRuntime().maxMemory();
    assertThat(c.memoryBudgetBytes()).as("half the heap").isEqualTo(heap / 2);
    assertThat(c.workers())
        .isBetween(1, Runtime.getRuntime().availableProcessors())
        .isLessThanOrEqualTo((int) Math.max(1, heap / (256L << 20)));
    assertThat(c.queueCapacity()).isEqualTo(Math.min(32, 4 * c.workers()));
    assertThat(c.submitLimit()).isEqualTo(RegisterConfig.DEFAULT_SUBMIT_LIMIT);
    assertThat(c.detectLimit()).isEqualTo(RegisterConfig.DEFAULT_DETECT_LIMIT);
    assertThat(c.limitLoopback()).isFalse();
    assertThat(c.effectiveJdbcUrl()).startsWith("jdbc:h2:file:" + Path.of("data").toAbsolutePath());
    assertThat(c.tiling()).as("the whole image only").isNull();
  }

  @Test
  void serveTilesBecomeTheServicesTiling() {
    ServeCommand cmd = new ServeCommand();
    new CommandLine(cmd).parseArgs("--tiles", "3x4", "--tile-overlap", "0.25");
    assertThat(cmd.config().tiling()).isEqualTo(Tiling.grid(3, 4, 0.25));

    ServeCommand auto = new ServeCommand();
    new CommandLine(auto).parseArgs("--tiles", "auto");
    assertThat(auto.config().tiling()).isEqualTo(Tiling.auto(Tiling.DEFAULT_OVERLAP));

    ServeCommand bad = new ServeCommand();
    new CommandLine(bad).parseArgs("--tiles", "4");
    assertThatThrownBy(bad::config).hasMessageContaining("--tiles: tiles must be 'auto' or RxC");
  }

  @Test
  void serveLimitOptionsBecomeTheConfiguration() {
    RegisterConfig c =
        CommandLine.populateCommand(
                new ServeCommand(),
                "--submit-limit",
                "5/day",
                "--detect-limit",
                "off",
                "--limit-loopback",
                "--memory-budget-mb",
                "300")
            .config();
    assertThat(c.submitLimit()).isEqualTo(new RateLimit(5, Duration.ofDays(1)));
    assertThat(c.detectLimit()).isNull();
    assertThat(c.limitLoopback()).isTrue();
    assertThat(c.memoryBudgetBytes()).isEqualTo(300L << 20);
    ServeCommand bad = new ServeCommand();
    new CommandLine(bad).parseArgs("--submit-limit", "many");
    assertThatThrownBy(bad::config)
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--submit-limit");
  }

  @Test
  void serveTlsAndProxyOptionsBecomeTheConfiguration() throws Exception {
    ServeCommand pem = new ServeCommand();
    new CommandLine(pem)
        .parseArgs(
            "--host",
            "0.0.0.0",
            "--tls-cert",
            "c.pem",
            "--tls-key",
            "k.pem",
            "--trusted-proxy",
            "10.0.0.1",
            "--trusted-proxy",
            "::1");
    RegisterConfig c = pem.config();
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.tls()).isEqualTo(new TlsSource.Pem(Path.of("c.pem"), Path.of("k.pem")));
    assertThat(c.trustedProxies()).containsExactly("10.0.0.1", "::1");

    ServeCommand fromEnv = new ServeCommand();
    new CommandLine(fromEnv).parseArgs("--tls-keystore", "s.p12");
    fromEnv.environment = Map.of("SSD_TLS_KEYSTORE_PASSWORD", "from-env")::get;
    assertThat(fromEnv.config().tls())
        .isEqualTo(new TlsSource.Pkcs12(Path.of("s.p12"), "from-env"));

    Path passwordFile = tmp.resolve("password");
    Files.writeString(passwordFile, "from-file\n");
    ServeCommand fromFile = new ServeCommand();
    new CommandLine(fromFile)
        .parseArgs(
            "--tls-keystore", "s.p12", "--tls-keystore-password-file", passwordFile.toString());
    assertThat(fromFile.config().tls())
        .isEqualTo(new TlsSource.Pkcs12(Path.of("s.p12"), "from-file"));
  }

  @Test
  void serveRefusesIncompleteTlsOptions() {
    for (String[] args :
        List.of(
            new String[] {"--tls-cert", "c.pem"},
            new String[] {"--tls-cert", "c.pem", "--tls-key", "k.pem", "--tls-keystore", "s.p12"},
            new String[] {
              "--tls-keystore", "s.p12", "--tls-keystore-password-env", "NO_SUCH_VAR_X"
            },
            new String[] {"--trusted-proxy", "proxy.example.org"})) {
      CliRunner.Result r = CliRunner.run(concat("serve", "--model", "missing", args));
      assertThat(r.exitCode()).as(String.join(" ", args)).isNotZero();
      assertThat(r.err()).as(String.join(" ", args)).containsAnyOf("--tls", "proxy.example.org");
    }
  }

  @Test
  void onlyLoopbackAddressesCountAsThisMachineOnly() {
    assertThat(ServeCommand.isLoopback("127.0.0.1")).isTrue();
    assertThat(ServeCommand.isLoopback("::1")).isTrue();
    assertThat(ServeCommand.isLoopback("localhost")).isTrue();
    assertThat(ServeCommand.isLoopback("0.0.0.0")).isFalse();
    assertThat(ServeCommand.isLoopback("192.0.2.1")).isFalse();
    assertThat(ServeCommand.isLoopback("example.org")).isFalse();
  }

  static String[] concat(String a, String b, String c, String[] rest) {
    String[] out = new String[rest.length + 3];
    out[0] = a;
    out[1] = b;
    out[2] = c;
    System.arraycopy(rest, 0, out, 3, rest.length);
    return out;
  }

  @Test
  void loadtestRunsAgainstAnInProcessServiceWithoutErrors() throws Exception {
    Path run = TinyModels.run(tmp.resolve("run"), TinyModels.ssd7(List.of("pothole")), 3);
    CliRunner.Result r =
        CliRunner.run(
            "loadtest",
            "--model",
            run.toString(),
            "--clients",
            "4",
            "--seconds",
            "1",
            "--workers",
            "1",
            "--queue",
            "1");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("clients 4").contains(" 0 errors").containsPattern("\\d+ ok");
  }
}
