package org.grievance.ssd.eval;

import java.util.List;

/**
 * The twelve numbers of pycocotools' {@code COCOeval.summarize()} for bounding boxes, in its order,
 * plus the AP@[.5:.95] of each class. A value is -1 where pycocotools prints -1 (nothing to
 * average, e.g. no ground truth in that area range).
 *
 * @param perClass AP@[.5:.95] (all areas, 100 detections) per class, {@code NaN} for a class
 *     without ground truth; precision/recall arrays are empty
 */
public record CocoEvaluation(
    double ap,
    double ap50,
    double ap75,
    double apSmall,
    double apMedium,
    double apLarge,
    double ar1,
    double ar10,
    double ar100,
    double arSmall,
    double arMedium,
    double arLarge,
    List<ClassAp> perClass) {

  public CocoEvaluation {
    perClass = List.copyOf(perClass);
  }

  /** The twelve summary numbers in pycocotools' order ({@code COCOeval.stats}). */
  public double[] stats() {
    return new double[] {
      ap, ap50, ap75, apSmall, apMedium, apLarge, ar1, ar10, ar100, arSmall, arMedium, arLarge
    };
  }
}
