package org.grievance.ssd.infer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.decode.DecoderConfig;
import org.grievance.ssd.eval.ApMetric;
import org.grievance.ssd.eval.ClassThreshold;
import org.grievance.ssd.eval.DatasetEvaluation;
import org.grievance.ssd.eval.ThresholdCalibration;
import org.grievance.ssd.eval.ThresholdRule;
import org.grievance.ssd.eval.VocEvaluation;
import org.grievance.ssd.spec.ModelDescription;
import org.grievance.ssd.store.ModelDirectory;

/**
 * Chooses a model's per-class confidence thresholds on a validation set and stores them in its
 * {@code model.json}: the model's detections, decoded as the evaluator decodes them (confidence
 * floor 0.01, so the curves are whole), are matched to the ground truth as the VOC evaluator
 * matches them (IoU > 0.5), and {@link ThresholdCalibration} picks a point on each class's curve.
 * What {@code ssd calibrate} and the end of {@code ssd train} run.
 */
public final class ThresholdCalibrator {
  /** The IoU a detection needs to count as found, as in the VOC evaluation the curves come from. */
  public static final double IOU_THRESHOLD = 0.5;

  private ThresholdCalibrator() {}

  /**
   * Calibrates the model of {@code detector} on {@code dataset}, for the model's classes (a class
   * the dataset lacks gets no threshold).
   *
   * @param detector decoding with a confidence floor of at most {@link
   *     ThresholdCalibration#DEFAULT_SCORE_FLOOR} and no per-class thresholds, as with {@link
   *     DetectorOptions#evaluation()}
   * @throws IllegalArgumentException if the detector's decoding would cut the curves short
   * @throws IOException naming an image that cannot be read
   */
  public static ThresholdCalibration calibrate(
      Detector detector, Dataset dataset, ThresholdRule rule, DatasetPredictions.Progress progress)
      throws IOException {
    DecoderConfig c = detector.decoderConfig();
    if (c.hasClassThresholds()
        || c.confidenceThreshold() > ThresholdCalibration.DEFAULT_SCORE_FLOOR) {
      throw new IllegalArgumentException(
          "calibrate on detections decoded with one confidence floor of at most "
              + ThresholdCalibration.DEFAULT_SCORE_FLOOR
              + " (DetectorOptions.evaluation()), not "
              + (c.hasClassThresholds() ? "per-class thresholds" : c.confidenceThreshold())
              + ": a higher floor cuts the precision-recall curves short");
    }
    DatasetPredictions.Result predictions = DatasetPredictions.predict(detector, dataset, progress);
    VocEvaluation evaluation =
        DatasetEvaluation.voc(dataset, predictions.rows(), ApMetric.VOC07_11_POINT, IOU_THRESHOLD);
    return ThresholdCalibration.of(evaluation, rule, c.confidenceThreshold(), predictions.images())
        .forClasses(detector.description().classNames());
  }

  /**
   * Calibrates the model in {@code modelDir} (a checkpoint or model directory, or a run directory:
   * its {@code best/}; see {@link ModelDirectory}) on {@code dataset} and rewrites its {@code
   * model.json} with the thresholds, replacing earlier ones.
   */
  public static ThresholdCalibration calibrate(
      Path modelDir, Dataset dataset, ThresholdRule rule, DatasetPredictions.Progress progress)
      throws IOException {
    ModelDirectory dir = ModelDirectory.open(modelDir);
    ThresholdCalibration calibration;
    try (Detector detector = Detector.load(dir.checkpoint(), DetectorOptions.evaluation())) {
      calibration = calibrate(detector, dataset, rule, progress);
    }
    dir.rewriteDescription(apply(dir.description(), calibration, dataset.source()));
    return calibration;
  }

  /**
   * {@code description} with {@code calibration}'s thresholds (classes without one keep the global
   * threshold) and, in provenance field {@value ModelDescription#CALIBRATION}, how they were
   * chosen.
   *
   * @param dataset where the calibration images came from, or {@code null}
   */
  public static ModelDescription apply(
      ModelDescription description, ThresholdCalibration calibration, String dataset) {
    return description.withClassThresholds(
        calibration.thresholds(), provenance(calibration, dataset));
  }

  /** The facts a user needs to see why each class got its threshold; NaN fields are left out. */
  private static ObjectNode provenance(ThresholdCalibration c, String dataset) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("rule", c.rule().describe());
    if (dataset != null) {
      json.put("dataset", dataset);
    }
    json.put("images", c.images());
    json.put("iouThreshold", c.iouThreshold());
    json.put("scoreFloor", c.scoreFloor());
    json.put("calibrated", Instant.now().toString());
    ObjectNode classes = json.putObject("classes");
    for (ClassThreshold t : c.classes()) {
      ObjectNode entry = classes.putObject(t.name());
      entry.put("outcome", t.outcome().words());
      putFinite(entry, "threshold", t.threshold());
      putFinite(entry, "precision", t.precision());
      putFinite(entry, "recall", t.recall());
      putFinite(entry, "f1", t.f1());
      entry.put("groundTruth", t.groundTruth());
      entry.put("detections", t.detections());
    }
    return json;
  }

  private static void putFinite(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    }
  }
}
