package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.register.Database;
import org.grievance.ssd.register.FolderPhotoStore;
import org.grievance.ssd.register.PhotoStore;
import org.grievance.ssd.register.RegisterConfig;
import org.grievance.ssd.register.store.GrievanceRepository;
import org.grievance.ssd.register.store.NewGrievance;
import org.grievance.ssd.testing.TinyModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssd register export} and {@code ssd register evaluate} on a small register. */
class RegisterLearningCommandsTest {
  private static final List<String> CLASSES = List.of("pothole", "graffiti");

  @TempDir Path tmp;
  private Path data;
  private Path served;
  private Path candidate;

  @BeforeEach
  void setUp() throws Exception {
    data = tmp.resolve("data");
    String url = RegisterConfig.builder(tmp).dataDir(data).build().effectiveJdbcUrl();
    PhotoStore photos = new FolderPhotoStore(data.resolve("photos"));
    try (Database db = Database.open(url)) {
      for (int i = 0; i < 24; i++) {
        String hash = photos.put(ImageFiles.pngBytes(TinyModels.image(96, 128, i)));
        NewGrievance g =
            new NewGrievance(
                "g" + i,
                null,
                null,
                null,
                hash,
                "image/png",
                hash,
                128,
                96,
                "tiny",
                "[]",
                Map.of());
        long id =
            db.inTransaction(
                c -> new GrievanceRepository().insert(c, g, "open", GrievanceRepository.now()));
        String cls = CLASSES.get(i % 2);
        String boxes =
            "[{\"class\":\""
                + cls
                + "\",\"box\":{\"xmin\":10,\"ymin\":12,\"xmax\":60,\"ymax\":70}}]";
        db.inTransaction(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO annotation (grievance_id, boxes, reviewed, updated_at,"
                          + " updated_by, reviewed_at, reviewed_by) VALUES (?, ?, TRUE, ?, 'Ada',"
                          + " ?, 'Ada')")) {
                ps.setLong(1, id);
                ps.setString(2, boxes);
                ps.setObject(3, GrievanceRepository.now());
                ps.setObject(4, GrievanceRepository.now());
                ps.executeUpdate();
              }
              return null;
            });
      }
    }
    served = TinyModels.run(tmp.resolve("served"), TinyModels.ssd7(CLASSES), 3);
    candidate = TinyModels.run(tmp.resolve("new"), TinyModels.ssd7(CLASSES), 4);
  }

  @Test
  void exportWritesADatasetThatDatasetCheckReadsAndSaysWhatItWrote() {
    Path out = tmp.resolve("dataset");
    CliRunner.Result r =
        CliRunner.run(
            "register",
            "export",
            "--out",
            out.toString(),
            "--model",
            served.toString(),
            "--data",
            data.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("exported 24/24 photos").contains("24 reviewed photos: train");
    assertThat(r.out())
        .containsPattern("pothole\\s+12 boxes")
        .containsPattern("graffiti\\s+12 boxes");
    assertThat(out.resolve("classes.txt")).hasContent("pothole\ngraffiti");
    CliRunner.Result check =
        CliRunner.run("dataset", "check", "--data", out.toString(), "--split", "train");
    assertThat(check.exitCode()).as(check.out() + check.err()).isZero();

    Path coco = tmp.resolve("coco");
    CliRunner.Result c =
        CliRunner.run(
            "register",
            "export",
            "--out",
            coco.toString(),
            "--format",
            "coco",
            "--classes",
            "pothole,graffiti",
            "--since",
            "2000-01-01",
            "--data",
            data.toString());
    assertThat(c.exitCode()).as(c.err()).isZero();
    CliRunner.Result cocoCheck =
        CliRunner.run("dataset", "check", "--data", coco.resolve("train.json").toString());
    assertThat(cocoCheck.exitCode()).as(cocoCheck.out() + cocoCheck.err()).isZero();

    CliRunner.Result none =
        CliRunner.run(
            "register",
            "export",
            "--out",
            tmp.resolve("none").toString(),
            "--classes",
            "pothole,graffiti",
            "--since",
            "2999-01-01",
            "--data",
            data.toString());
    assertThat(none.exitCode()).as(none.err()).isZero();
    assertThat(none.out()).contains("0 reviewed photos");
  }

  @Test
  void evaluateScoresBothModelsSideBySideOnTheTestSplit() throws Exception {
    CliRunner.Result r =
        CliRunner.run(
            "register",
            "evaluate",
            "--model",
            candidate.toString(),
            "--baseline",
            served.toString(),
            "--threads",
            "1",
            "--data",
            data.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("exporting the register's test split")
        .contains("A = baseline: " + served)
        .contains("B = new:      " + candidate)
        .containsPattern("class\\s+GT\\s+VOC07 A\\s+VOC07 B\\s+change\\s+COCO A\\s+COCO B")
        .containsPattern("(?m)^pothole\\s+\\d+\\s+(no GT|\\d\\.\\d{4})\\s+(no GT|\\d\\.\\d{4})")
        .containsPattern("(?m)^graffiti\\s+\\d+\\s+(no GT|\\d\\.\\d{4})\\s+(no GT|\\d\\.\\d{4})")
        .containsPattern("(?m)^mean\\s+")
        .containsPattern("the new model is (WORSE than the baseline|not worse)");

    Path out = tmp.resolve("dataset");
    assertThat(
            CliRunner.run(
                    "register",
                    "export",
                    "--out",
                    out.toString(),
                    "--model",
                    served.toString(),
                    "--data",
                    data.toString())
                .exitCode())
        .isZero();
    CliRunner.Result j =
        CliRunner.run(
            "register",
            "evaluate",
            "--model",
            candidate.toString(),
            "--baseline",
            served.toString(),
            "--dataset",
            out.toString(),
            "--json",
            "--threads",
            "1");
    assertThat(j.exitCode()).as(j.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(j.out());
    int testImages = Files.readAllLines(out.resolve("ImageSets/Main/test.txt")).size();
    assertThat(json.get("images").asInt()).isEqualTo(testImages).isPositive();
    assertThat(json.at("/baseline/model").asText()).isEqualTo(served.toString());
    assertThat(json.at("/new/model").asText()).isEqualTo(candidate.toString());
    assertThat(json.at("/new/classes/0/name").asText()).isEqualTo("pothole");
    assertThat(json.at("/baseline/classes").size()).isEqualTo(2);
    assertThat(json.get("worse").isBoolean()).isTrue();
  }

  @Test
  void evaluateWithoutABaselineSaysWhatToGive() {
    CliRunner.Result r =
        CliRunner.run(
            "register", "evaluate", "--model", candidate.toString(), "--data", data.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("--baseline is required");
  }
}
