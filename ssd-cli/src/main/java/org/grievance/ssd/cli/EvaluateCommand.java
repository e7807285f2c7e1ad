package org.grievance.ssd.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.grievance.ssd.data.CocoResultsJson;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.ResultRow;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.eval.ApMetric;
import org.grievance.ssd.eval.ClassAp;
import org.grievance.ssd.eval.CocoEvaluation;
import org.grievance.ssd.eval.CocoEvaluator;
import org.grievance.ssd.eval.DatasetEvaluation;
import org.grievance.ssd.eval.EvaluationTables;
import org.grievance.ssd.eval.GroundTruthBox;
import org.grievance.ssd.eval.PrCurvePlot;
import org.grievance.ssd.eval.ScoredDetection;
import org.grievance.ssd.eval.VocEvaluation;
import org.grievance.ssd.eval.VocEvaluator;
import org.grievance.ssd.infer.DatasetPredictions;
import org.grievance.ssd.infer.DetectionWriter;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.infer.DetectorOptions;
import org.grievance.ssd.infer.Tiling;
import org.grievance.ssd.io.AtomicFiles;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ssd evaluate}: scores detections against a dataset with the Pascal VOC devkit's or
 * pycocotools' definitions. The detections come from a COCO results JSON ({@code --predictions},
 * from any source) or from running a trained model over the dataset's images ({@code --model});
 * both go through the same rows → evaluator path.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluates detections against a dataset: Pascal VOC mAP (voc07 11-point, voc2010 all-point)"
          + " or COCO AP. The detections come from a results file (--predictions) or from running"
          + " a trained model over the dataset's images (--model).",
      "RESULTS.json is the COCO results format: [{\"image_id\", \"category_id\","
          + " \"bbox\": [x, y, w, h], \"score\"}]; for VOC and CSV datasets image_id is the image"
          + " file's stem and category_id the 1-based index into the class list."
    })
public final class EvaluateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin DatasetOptions dataset;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** What is evaluated: a results file, or a model run over the dataset's images. */
  static final class Source {
    @Option(
        names = "--predictions",
        required = true,
        paramLabel = "FILE_OR_DIR",
        description =
            "Detections: a COCO results file, ssd predict --json output, a JSON-lines file of"
                + " ssd-detections/1 documents, or the output directory of ssd batch predict"
                + " (documents are matched to the dataset's images by path).")
    Path predictions;

    @Option(
        names = "--model",
        required = true,
        paramLabel = "RUN_DIR",
        description =
            "A trained model (run directory: best/, else last/; or a checkpoint directory) to run"
                + " over the dataset's images with the reference evaluation decoding: per-class"
                + " NMS, confidence 0.01, IoU 0.45, top 200.")
    Path model;
  }

  @Option(
      names = "--predictions-out",
      paramLabel = "RESULTS.json",
      description = "With --model: write the model's detections here (COCO results format).")
  Path predictionsOut;

  @Option(
      names = "--batch-size",
      defaultValue = "8",
      paramLabel = "N",
      description =
          "With --model: images (with --tiles: tiles of one image) per forward pass (default:"
              + " ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--threads",
      defaultValue = "0",
      paramLabel = "N",
      description = "With --model: PyTorch intra-op threads; 0 keeps the engine's default.")
  int threads;

  @Mixin TilingOptions tilingOptions;

  @Option(
      names = "--metric",
      defaultValue = "voc07",
      paramLabel = "voc07|voc2010|coco",
      description = "Metric (default: ${DEFAULT-VALUE}).")
  String metric;

  @Option(
      names = "--iou",
      defaultValue = "0.5",
      description = "VOC matching IoU threshold (default: ${DEFAULT-VALUE}).")
  double iouThreshold;

  @Option(
      names = "--report",
      paramLabel = "REPORT.json",
      description = "Write the metrics as JSON here.")
  Path report;

  @Option(
      names = "--plots",
      paramLabel = "PNG",
      description = "Write per-class precision-recall curves (VOC metrics) to this PNG file.")
  Path plots;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String m = metric.trim().toLowerCase(java.util.Locale.ROOT);
    if (!Set.of("voc07", "voc2010", "coco").contains(m)) {
      throw new IllegalArgumentException(
          "--metric must be voc07, voc2010 or coco, not '" + metric + "'");
    }
    if (predictionsOut != null && source.model == null) {
      throw new IllegalArgumentException("--predictions-out needs --model");
    }
    Tiling tiling = tilingOptions.tiling();
    if (tiling != null && source.model == null) {
      throw new IllegalArgumentException("--tiles needs --model");
    }
    Dataset ds = dataset.load();
    List<ResultRow> rows =
        source.model != null ? predict(ds, tiling, out) : readPredictions(ds, out);
    List<ScoredDetection> detections = DatasetEvaluation.detections(ds, rows);
    boolean coco = m.equals("coco");
    List<GroundTruthBox> groundTruth = DatasetEvaluation.groundTruth(ds, coco);
    out.printf(
        "%d images, %d ground-truth boxes, %d detections, %d classes%n",
        ds.samples().size(), groundTruth.size(), detections.size(), ds.classNames().size());

    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode rep = json.createObjectNode();
    rep.put("metric", m);
    rep.put("data", ds.source());
    if (source.model != null) {
      rep.put("model", source.model.toString());
      if (tiling != null) {
        rep.put("tiles", tiling.gridText());
        rep.put("tileOverlap", tiling.overlap());
      }
      if (predictionsOut != null) {
        rep.put("predictions", predictionsOut.toString());
      }
    } else {
      rep.put("predictions", source.predictions.toString());
    }
    List<ClassAp> classes;
    double meanAp;
    if (coco) {
      List<String> imageIds = ds.samples().stream().map(Sample::imageId).toList();
      CocoEvaluation e =
          new CocoEvaluator().evaluate(ds.classNames(), imageIds, groundTruth, detections);
      out.println(EvaluationTables.coco(e));
      classes = e.perClass();
      meanAp = e.ap();
      ObjectNode c = rep.putObject("coco");
      c.put("AP", e.ap());
      c.put("AP50", e.ap50());
      c.put("AP75", e.ap75());
      c.put("APs", e.apSmall());
      c.put("APm", e.apMedium());
      c.put("APl", e.apLarge());
      c.put("AR1", e.ar1());
      c.put("AR10", e.ar10());
      c.put("AR100", e.ar100());
      c.put("ARs", e.arSmall());
      c.put("ARm", e.arMedium());
      c.put("ARl", e.arLarge());
    } else {
      ApMetric apMetric = m.equals("voc07") ? ApMetric.VOC07_11_POINT : ApMetric.VOC2010_ALL_POINT;
      VocEvaluation e =
          new VocEvaluator(apMetric, iouThreshold)
              .evaluate(ds.classNames(), groundTruth, detections);
      out.println(EvaluationTables.voc(e));
      classes = e.classes();
      meanAp = e.meanAp();
      if (plots != null) {
        PrCurvePlot.write(e, plots);
        out.println("precision-recall curves: " + plots);
      }
    }
    putNumber(rep, "mAP", meanAp);
    ArrayNode arr = rep.putArray("classes");
    for (ClassAp c : classes) {
      ObjectNode n = arr.addObject();
      n.put("name", c.name());
      putNumber(n, "ap", c.ap());
      n.put("gt", c.numGt());
      n.put("detections", c.numDetections());
    }
    if (report != null) {
      byte[] bytes = json.writeValueAsBytes(rep);
      AtomicFiles.write(report, bytes);
      out.println("report: " + report);
    }
    out.flush();
    return 0;
  }

  /**
   * Runs the model over the dataset's images and returns its detections as results rows, written to
   * {@code --predictions-out} when given.
   */
  private List<ResultRow> predict(Dataset ds, Tiling tiling, PrintWriter out) throws IOException {
    DetectorOptions options =
        DetectorOptions.evaluation().toBuilder()
            .batchSize(batchSize)
            .threads(threads)
            .tiling(tiling)
            .build();
    long start = System.nanoTime();
    DatasetPredictions.Result result;
    try (Detector detector = Detector.load(source.model, options)) {
      out.printf(
          "model %s (%s %dx%d, classes %s)%n",
          source.model,
          detector.description().architecture(),
          detector.description().inputHeight(),
          detector.description().inputWidth(),
          detector.description().classNames());
      if (tiling != null) {
        out.println("tiles: " + tiling);
      }
      result = DatasetPredictions.predict(detector, ds, DatasetPredictions.Progress.NONE);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(
        "predicted %d images in %.1f s (%.1f ms/image), %d detections%n",
        result.images(),
        seconds,
        result.images() == 0 ? 0 : 1000 * seconds / result.images(),
        result.rows().size());
    if (!result.unmatchedModelClasses().isEmpty()) {
      out.println(
          "warning: model classes not in the dataset, their detections are ignored: "
              + result.unmatchedModelClasses());
    }
    if (result.droppedBoxes() > 0) {
      out.println(
          "warning: " + result.droppedBoxes() + " detections with non-finite boxes left out");
    }
    if (predictionsOut != null) {
      CocoResultsJson.write(predictionsOut, result.rows());
      out.println("predictions: " + predictionsOut);
    }
    return result.rows();
  }

  /**
   * The rows of {@code --predictions}: a COCO results file, or detection documents (ssd predict
   * --json, a JSON-lines file, or the directory ssd batch predict writes) matched to the dataset's
   * images by path.
   */
  private List<ResultRow> readPredictions(Dataset ds, PrintWriter out) throws IOException {
    if (!DetectionWriter.looksLikeDocuments(source.predictions)) {
      return CocoResultsJson.read(source.predictions);
    }
    DatasetPredictions.Result result =
        DatasetPredictions.fromDocuments(ds, DetectionWriter.readAny(source.predictions));
    if (!result.unmatchedModelClasses().isEmpty()) {
      out.println(
          "warning: classes not in the dataset, their detections are ignored: "
              + result.unmatchedModelClasses());
    }
    if (result.droppedBoxes() > 0) {
      out.println(
          "warning: " + result.droppedBoxes() + " detections with non-finite boxes left out");
    }
    return result.rows();
  }

  /** NaN (a class without ground truth) is written as JSON null rather than an invalid number. */
  private static void putNumber(ObjectNode node, String field, double value) {
    if (Double.isNaN(value)) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }
}
