package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.FolderPhotoStore;
import org.grievance.ssd.register.ModelVersions;
import org.grievance.ssd.register.PhotoStore;
import org.grievance.ssd.register.RegisterConfig;
import org.grievance.ssd.register.store.NewGrievance;
import org.grievance.ssd.register.workflow.GrievanceWorkflow;
import org.grievance.ssd.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssd register promote}, {@code retag} and {@code models}. */
class RegisterModelCommandsTest {
  @TempDir Path tmp;

  private Path model(String name, List<String> classes, long seed) throws Exception {
    return TinyModels.run(tmp.resolve(name), TinyModels.ssd7(classes), seed);
  }

  @Test
  void promoteRecordsVersionsRefusesOtherClassesUnlessForcedAndRetagResumes() throws Exception {
    String data = tmp.resolve("data").toString();
    List<String> classes = List.of("pothole", "graffiti");
    CliRunner.Result first =
        CliRunner.run(
            "register",
            "promote",
            "--model",
            model("a", classes, 1).toString(),
            "--data",
            data,
            "--actor",
            "Ada");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("promoted a/best as v1");
    CliRunner.Result second =
        CliRunner.run(
            "register", "promote", "--model", model("b", classes, 2).toString(), "--data", data);
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out())
        .contains(
            "as v2 (was v1 a/best)",
            "quality not compared: the test split holds no reviewed photos yet",
            "within their poll interval");
    // evaluate's default baseline is the served version: it gets past the baseline to the
    // (empty) test split.
    CliRunner.Result evaluate =
        CliRunner.run(
            "register", "evaluate", "--model", model("b", classes, 2).toString(), "--data", data);
    assertThat(evaluate.exitCode()).isEqualTo(1);
    assertThat(evaluate.err()).contains("no reviewed photos").doesNotContain("--baseline");

    String other = model("c", List.of("pothole", "streetlight"), 3).toString();
    CliRunner.Result refused =
        CliRunner.run("register", "promote", "--model", other, "--data", data);
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("refused", "differ", "--force");
    CliRunner.Result forced =
        CliRunner.run("register", "promote", "--model", other, "--data", data, "--force");
    assertThat(forced.exitCode()).as(forced.err()).isZero();
    assertThat(forced.out()).contains("as v3", "forced");

    CliRunner.Result models = CliRunner.run("register", "models", "--data", data);
    assertThat(models.exitCode()).as(models.err()).isZero();
    assertThat(models.out())
        .contains("v1", "a/best", "by Ada", "v3", "(forced)", "promotion_refused");

    RegisterConfig config = RegisterConfig.builder(tmp).dataDir(tmp.resolve("data")).build();
    try (Database db = Database.open(config.effectiveJdbcUrl())) {
      PhotoStore photos = new FolderPhotoStore(config.dataDir().resolve("photos"));
      GrievanceWorkflow workflow = new GrievanceWorkflow(db, 0);
      for (int i = 0; i < 3; i++) {
        String photo = photos.put(ImageFiles.jpegBytes(TinyModels.image(60, 80, i), 0.9f));
        workflow.create(
            new NewGrievance(
                "g" + i,
                null,
                null,
                null,
                photo,
                "image/jpeg",
                photo,
                80,
                60,
                "a/best",
                "[]",
                Map.of("pothole", 0.9),
                null,
                1L));
      }
    }
    CliRunner.Result part =
        CliRunner.run("register", "retag", "--status", "open", "--limit", "2", "--data", data);
    assertThat(part.exitCode()).as(part.err()).isZero();
    assertThat(part.out())
        .contains("re-tagging with v3 c/best", "2 re-tagged", "1 to go", "run the same command");
    CliRunner.Result rest = CliRunner.run("register", "retag", "--status", "open", "--data", data);
    assertThat(rest.exitCode()).as(rest.err()).isZero();
    assertThat(rest.out()).contains("3 re-tagged, 0 skipped", "(resumed)", "done.");
    try (Database db = Database.open(config.effectiveJdbcUrl())) {
      assertThat(new ModelVersions(db).events())
          .extracting(ModelVersions.ModelEvent::event)
          .endsWith(ModelVersions.RETAG_STARTED, ModelVersions.RETAG_FINISHED);
    }
    CliRunner.Result bad = CliRunner.run("register", "retag", "--status", "done", "--data", data);
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--status");
  }
}
