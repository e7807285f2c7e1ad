package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.grievance.ssd.infer.Tiling;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.Officials;
import org.grievance.ssd.register.RegisterConfig;
import org.grievance.ssd.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.maxUploadBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(c.maxPixels()).isEqualTo(40_000_000L);
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
