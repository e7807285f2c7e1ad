package org.grievance.ssd.register.workflow;

import java.util.List;
import org.grievance.ssd.decode.Detection;

/**
 * How much an official's review of a photo would teach the model: the order of the review queue,
 * highest first. Officials' time is the scarce resource, and most photos teach little: where the
 * detector is sure (a box far above its tag threshold, or nothing near it) a reviewer mostly
 * confirms what the model already knows. Two signs that the model is unsure, and a corrected label
 * would move it most:
 *
 * <ul>
 *   <li><b>borderline</b>: the best detection scores close to its class's tag threshold, so whether
 *       the grievance got that category at all was nearly a coin toss. It counts {@code 1} at the
 *       threshold, falling linearly to {@code 0} at {@link #band} away from it.
 *   <li><b>crowd</b>: many boxes below their threshold but above {@link #lowScoreFloor}: the model
 *       sees several candidate objects it cannot commit to (often missed objects, or clutter it
 *       confuses with one). It grows as {@code n / (n + crowdHalf)}, so the first few such boxes
 *       count most and a photo full of noise does not outrank every borderline one; it is weighted
 *       by {@link #crowdWeight}.
 * </ul>
 *
 * <p>The priority is {@code borderline + crowdWeight * crowd}, in {@code [0, 1 + crowdWeight)}; a
 * photo without detections scores 0. A pure function of the detections and the thresholds: the
 * register computes it when a grievance is tagged and again after a re-detection, and the same
 * detections always give the same place in the queue.
 *
 * @param band how far (in score) from the threshold a best detection still counts as borderline, in
 *     {@code (0, 1]}
 * @param lowScoreFloor scores below this are noise, not candidates, in {@code [0, 1)}
 * @param crowdHalf the number of low-score boxes at which the crowd term reaches one half, {@code >
 *     0}
 * @param crowdWeight weight of the crowd term against the borderline term, {@code >= 0}
 */
public record ReviewPriority(
    double band, double lowScoreFloor, double crowdHalf, double crowdWeight) {
  /** The register's setting: ±0.25 around the threshold, boxes from 0.05, half at 4, weight 0.5. */
  public static final ReviewPriority DEFAULT = new ReviewPriority(0.25, 0.05, 4, 0.5);

  /** Validates; messages name the parameter. */
  public ReviewPriority {
    if (!(band > 0 && band <= 1)) {
      throw new IllegalArgumentException("band must be in (0, 1], got " + band);
    }
    if (!(lowScoreFloor >= 0 && lowScoreFloor < 1)) {
      throw new IllegalArgumentException("lowScoreFloor must be in [0, 1), got " + lowScoreFloor);
    }
    if (!(crowdHalf > 0) || Double.isInfinite(crowdHalf)) {
      throw new IllegalArgumentException("crowdHalf must be positive and finite, got " + crowdHalf);
    }
    if (!(crowdWeight >= 0) || Double.isInfinite(crowdWeight)) {
      throw new IllegalArgumentException(
          "crowdWeight must be non-negative and finite, got " + crowdWeight);
    }
  }

  /** The priority of a photo with these detections under these tag thresholds. */
  public double of(List<Detection> detections, TagThresholds thresholds) {
    return borderline(detections, thresholds) + crowdWeight * crowd(detections, thresholds);
  }

  /**
   * 1 when the best detection scores exactly its threshold, 0 from {@link #band} away; 0 if none.
   */
  public double borderline(List<Detection> detections, TagThresholds thresholds) {
    Detection best = null;
    for (Detection d : detections) {
      if (best == null || d.score() > best.score()) {
        best = d;
      }
    }
    if (best == null) {
      return 0;
    }
    double distance = Math.abs(best.score() - thresholds.of(best.className()));
    return Math.max(0, 1 - distance / band);
  }

  /** {@code n / (n + crowdHalf)} of the {@code n} boxes scoring in [floor, their threshold). */
  public double crowd(List<Detection> detections, TagThresholds thresholds) {
    int n = 0;
    for (Detection d : detections) {
      if (d.score() >= lowScoreFloor && d.score() < thresholds.of(d.className())) {
        n++;
      }
    }
    return n / (n + crowdHalf);
  }
}
