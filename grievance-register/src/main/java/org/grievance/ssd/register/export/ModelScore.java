package org.grievance.ssd.register.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.eval.ApMetric;
import org.grievance.ssd.eval.CocoEvaluation;
import org.grievance.ssd.eval.DatasetEvaluation;
import org.grievance.ssd.eval.VocEvaluation;
import org.grievance.ssd.infer.DatasetPredictions;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.infer.DetectorOptions;

/**
 * One model's scores on one dataset: VOC07 (11-point, IoU 0.5) and COCO AP, per class and mean,
 * from the project's evaluators with the reference evaluation decoding (per-class NMS, confidence
 * 0.01, IoU 0.45, top 200), as {@code ssd evaluate --model} computes them.
 *
 * @param model the model as the user named it
 * @param voc07 VOC07 11-point AP per class and mean
 * @param coco COCO AP@[.5:.95] per class and the summary numbers
 */
public record ModelScore(String model, VocEvaluation voc07, CocoEvaluation coco) {
  public ModelScore {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(voc07, "voc07");
    Objects.requireNonNull(coco, "coco");
  }

  /** Runs {@code model} over {@code dataset}'s images and scores its detections. */
  public static ModelScore of(Path model, Dataset dataset, int threads) throws IOException {
    DetectorOptions options = DetectorOptions.evaluation().toBuilder().threads(threads).build();
    DatasetPredictions.Result result;
    try (Detector detector = Detector.load(model, options)) {
      result = DatasetPredictions.predict(detector, dataset, DatasetPredictions.Progress.NONE);
    }
    return of(model.toString(), dataset, result.rows());
  }

  /** Scores detections already made. */
  public static ModelScore of(
      String model, Dataset dataset, List<org.grievance.ssd.data.ResultRow> rows) {
    return new ModelScore(
        model,
        DatasetEvaluation.voc(dataset, rows, ApMetric.VOC07_11_POINT, 0.5),
        DatasetEvaluation.coco(dataset, rows));
  }
}
