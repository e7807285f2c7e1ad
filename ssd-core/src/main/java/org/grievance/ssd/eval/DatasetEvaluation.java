package org.grievance.ssd.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.ObjectBox;
import org.grievance.ssd.data.ResultRow;
import org.grievance.ssd.data.Sample;

/**
 * Evaluates COCO results rows against a {@link Dataset}: the bridge from the data model (samples,
 * category ids) to the evaluators' inputs, shared by {@code ssd evaluate} and the validation mAP of
 * training.
 */
public final class DatasetEvaluation {
  private DatasetEvaluation() {}

  /** VOC mAP of {@code rows} on {@code dataset} (difficult boxes ignored, as the devkit does). */
  public static VocEvaluation voc(
      Dataset dataset, List<ResultRow> rows, ApMetric metric, double iouThreshold) {
    return new VocEvaluator(metric, iouThreshold)
        .evaluate(dataset.classNames(), groundTruth(dataset, false), detections(dataset, rows));
  }

  /** COCO AP of {@code rows} on {@code dataset}; VOC difficult boxes count as crowd regions. */
  public static CocoEvaluation coco(Dataset dataset, List<ResultRow> rows) {
    List<String> imageIds = dataset.samples().stream().map(Sample::imageId).toList();
    return new CocoEvaluator()
        .evaluate(
            dataset.classNames(), imageIds, groundTruth(dataset, true), detections(dataset, rows));
  }

  /**
   * The evaluators' detections: category ids mapped to class ids, {@code x, y, w, h} to corners.
   *
   * @throws IllegalArgumentException if a row names an image the dataset does not have (e.g. the
   *     predictions were made on another split), listing a few of them
   */
  public static List<ScoredDetection> detections(Dataset dataset, List<ResultRow> rows) {
    Set<String> known = new HashSet<>();
    for (Sample s : dataset.samples()) {
      known.add(s.imageId());
    }
    Set<String> unknown = new LinkedHashSet<>();
    List<ScoredDetection> out = new ArrayList<>(rows.size());
    for (ResultRow r : rows) {
      if (!known.contains(r.imageId())) {
        unknown.add(r.imageId());
        continue;
      }
      int classId = dataset.classIdOfCategory(r.categoryId());
      out.add(
          new ScoredDetection(
              r.imageId(), classId, r.score(), r.x(), r.y(), r.x() + r.w(), r.y() + r.h()));
    }
    if (!unknown.isEmpty()) {
      List<String> some = unknown.stream().limit(5).toList();
      throw new IllegalArgumentException(
          "the predictions name "
              + unknown.size()
              + " image id(s) that are not in the dataset (wrong --split?): "
              + String.join(", ", some)
              + (unknown.size() > some.size() ? ", ..." : ""));
    }
    return out;
  }

  /**
   * The evaluators' ground truth. With {@code difficultAsCrowd} (the COCO metric) VOC "difficult"
   * boxes become crowd regions, so detections matching them are ignored as the VOC metric ignores
   * them.
   */
  public static List<GroundTruthBox> groundTruth(Dataset dataset, boolean difficultAsCrowd) {
    List<GroundTruthBox> out = new ArrayList<>();
    for (Sample s : dataset.samples()) {
      for (ObjectBox b : s.objects()) {
        out.add(
            new GroundTruthBox(
                s.imageId(),
                b.classId(),
                b.xmin(),
                b.ymin(),
                b.xmax(),
                b.ymax(),
                b.difficult(),
                b.crowd() || (difficultAsCrowd && b.difficult()),
                b.area()));
      }
    }
    return out;
  }
}
