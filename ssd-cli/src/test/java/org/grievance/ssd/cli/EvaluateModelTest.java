package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.grievance.ssd.data.CocoResultsJson;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.DatasetLoader;
import org.grievance.ssd.data.DatasetSpec;
import org.grievance.ssd.data.ResultRow;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.infer.DetectorOptions;
import org.grievance.ssd.infer.Tiling;
import org.grievance.ssd.synth.SynthClass;
import org.grievance.ssd.synth.SynthConfig;
import org.grievance.ssd.synth.SyntheticDatasetGenerator;
import org.grievance.ssd.testing.TinyModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssd evaluate --model}: the plumbing from a run directory to a report (not the mAP). */
class EvaluateModelTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Path data;
  private Path run;
  private List<String> modelClasses;

  @BeforeEach
  void setUp() throws IOException {
    data = tmp.resolve("synth");
    SyntheticDatasetGenerator.generate(
        SynthConfig.builder().splits(1, 1, 4).imageSize(96, 128).seed(5).build(),
        data,
        SyntheticDatasetGenerator.Progress.NONE);
    // The dataset's classes in reverse plus one it lacks: ids must be matched by name.
    modelClasses = new ArrayList<>();
    for (SynthClass c : SynthClass.values()) {
      modelClasses.add(0, c.label());
    }
    modelClasses.add("unicorn");
    run = TinyModels.run(tmp.resolve("run"), TinyModels.ssd7(modelClasses), 31);
  }

  private CliRunner.Result evaluate(String... extra) {
    List<String> args = new ArrayList<>(List.of("evaluate", "--data", data.toString()));
    args.addAll(List.of("--split", "test", "--threads", "1"));
    args.addAll(List.of(extra));
    return CliRunner.run(args.toArray(String[]::new));
  }

  @Test
  void runsTheModelAndEvaluatesLikeAResultsFile() throws IOException {
    Path report = tmp.resolve("out/report.json");
    Path predictions = tmp.resolve("out/predictions.json");
    CliRunner.Result r =
        evaluate(
            "--model",
            run.toString(),
            "--metric",
            "voc07",
            "--report",
            report.toString(),
            "--predictions-out",
            predictions.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("predicted 4 images")
        .contains("model classes not in the dataset")
        .contains("[unicorn]")
        .contains("mAP");
    JsonNode rep = JSON.readTree(report.toFile());
    assertThat(rep.get("metric").asText()).isEqualTo("voc07");
    assertThat(rep.get("model").asText()).isEqualTo(run.toString());
    assertThat(rep.get("predictions").asText()).isEqualTo(predictions.toString());
    assertThat(rep.get("classes")).hasSize(SynthClass.values().length);

    Dataset ds = DatasetLoader.load(DatasetSpec.builder(data).split("test").build());
    List<ResultRow> rows = CocoResultsJson.read(predictions);
    assertThat(rows).isNotEmpty();
    Set<String> ids = new HashSet<>();
    ds.samples().forEach(s -> ids.add(s.imageId()));
    for (ResultRow row : rows) {
      assertThat(ids).contains(row.imageId());
      assertThat(ds.categoryIds()).contains(row.categoryId());
      assertThat(row.score()).isGreaterThan(0.01);
    }

    // Rows are the detector's detections at the reference evaluation settings (same batches),
    // with the class mapped by name and the box as x, y, w, h in the original pixels.
    List<org.grievance.ssd.image.RgbImage> originals = new ArrayList<>();
    for (Sample s : ds.samples()) {
      originals.add(ImageFiles.read(s.imagePath()));
    }
    List<ResultRow> expectedRows = new ArrayList<>();
    try (Detector detector =
        Detector.load(run, DetectorOptions.evaluation().toBuilder().threads(1).build())) {
      List<List<Detection>> found = detector.detect(originals);
      for (int i = 0; i < originals.size(); i++) {
        for (Detection d : found.get(i)) {
          if (d.className().equals("unicorn")) {
            continue;
          }
          int datasetClass = ds.classIdOf(d.className()).orElseThrow();
          expectedRows.add(
              new ResultRow(
                  ds.samples().get(i).imageId(),
                  ds.categoryIdOfClass(datasetClass),
                  d.xmin(),
                  d.ymin(),
                  d.xmax() - d.xmin(),
                  d.ymax() - d.ymin(),
                  d.score()));
        }
      }
    }
    assertThat(rows).isEqualTo(expectedRows);

    // Evaluating the written file gives the same report: both paths share the evaluation code.
    Path again = tmp.resolve("out/again.json");
    CliRunner.Result fromFile =
        evaluate(
            "--predictions",
            predictions.toString(),
            "--metric",
            "voc07",
            "--report",
            again.toString());
    assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
    JsonNode rep2 = JSON.readTree(again.toFile());
    assertThat(rep2.get("mAP")).isEqualTo(rep.get("mAP"));
    assertThat(rep2.get("classes")).isEqualTo(rep.get("classes"));
  }

  @Test
  void cocoMetricRunsOnTheModelToo() {
    CliRunner.Result r = evaluate("--model", run.toString(), "--metric", "coco");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("predicted 4 images");
  }

  @Test
  void predictionsAndModelAreMutuallyExclusiveAndOneIsRequired() {
    CliRunner.Result both =
        evaluate("--model", run.toString(), "--predictions", tmp.resolve("p.json").toString());
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");

    CliRunner.Result neither = evaluate();
    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(neither.err()).contains("--predictions").contains("--model");

    CliRunner.Result outWithoutModel =
        evaluate(
            "--predictions",
            tmp.resolve("p.json").toString(),
            "--predictions-out",
            tmp.resolve("q.json").toString());
    assertThat(outWithoutModel.exitCode()).isEqualTo(1);
    assertThat(outWithoutModel.err()).contains("--predictions-out needs --model");
  }

  @Test
  void tilesRunTheTiledDetectorAndAreRecordedInTheReport() throws IOException {
    Path report = tmp.resolve("tiled/report.json");
    Path predictions = tmp.resolve("tiled/predictions.json");
    CliRunner.Result r =
        evaluate(
            "--model",
            run.toString(),
            "--tiles",
            "2x2",
            "--tile-overlap",
            "0.3",
            "--report",
            report.toString(),
            "--predictions-out",
            predictions.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("tiles: 2x2 (overlap 0.30)").contains("predicted 4 images");
    JsonNode rep = JSON.readTree(report.toFile());
    assertThat(rep.get("tiles").asText()).isEqualTo("2x2");
    assertThat(rep.get("tileOverlap").asDouble()).isEqualTo(0.3);

    // The rows are the tiled detector's detections (the images are the model's input size, so
    // only a fixed grid tiles them).
    Dataset ds = DatasetLoader.load(DatasetSpec.builder(data).split("test").build());
    DetectorOptions tiled =
        DetectorOptions.evaluation().toBuilder().threads(1).tiling(Tiling.grid(2, 2, 0.3)).build();
    int expected = 0;
    try (Detector detector = Detector.load(run, tiled)) {
      for (Sample s : ds.samples()) {
        expected +=
            (int)
                detector.detect(ImageFiles.read(s.imagePath())).stream()
                    .filter(d -> !d.className().equals("unicorn"))
                    .count();
      }
    }
    assertThat(CocoResultsJson.read(predictions)).hasSize(expected);
  }

  @Test
  void badTilesAreRefusedNamingTheOption() {
    CliRunner.Result grid = evaluate("--model", run.toString(), "--tiles", "3by4");
    assertThat(grid.exitCode()).isEqualTo(1);
    assertThat(grid.err()).contains("--tiles: tiles must be 'auto' or RxC").contains("'3by4'");

    CliRunner.Result overlap =
        evaluate("--model", run.toString(), "--tiles", "auto", "--tile-overlap", "0.95");
    assertThat(overlap.exitCode()).isEqualTo(1);
    assertThat(overlap.err())
        .contains("--tile-overlap: tile overlap must be in [0, 0.9), got 0.95");

    CliRunner.Result alone = evaluate("--model", run.toString(), "--tile-overlap", "0.3");
    assertThat(alone.exitCode()).isEqualTo(1);
    assertThat(alone.err()).contains("--tile-overlap needs --tiles");

    CliRunner.Result fromFile =
        evaluate("--predictions", tmp.resolve("p.json").toString(), "--tiles", "auto");
    assertThat(fromFile.exitCode()).isEqualTo(1);
    assertThat(fromFile.err()).contains("--tiles needs --model");
  }

  @Test
  void aModelSharingNoClassWithTheDatasetIsRefused() throws IOException {
    Path other = TinyModels.run(tmp.resolve("other"), TinyModels.ssd7(List.of("cat", "dog")), 32);
    CliRunner.Result r = evaluate("--model", other.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("share no name with the dataset's");
  }
}
