package org.grievance.ssd.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.grievance.ssd.anchor.AnchorConfig;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.ObjectBox;
import org.grievance.ssd.data.Sample;

/**
 * Anchor settings chosen from the training boxes' size statistics, so that small or elongated
 * objects get anchors they can match (an object whose best anchor IoU is below 0.5 only gets its
 * single bipartite match and trains slowly). Scales span the 5th to 95th percentile of the boxes'
 * size relative to the shorter image side; aspect ratios 1/3 and 3 are added to the reference's
 * {0.5, 1, 2} when more than a tenth of the boxes are that elongated.
 */
public final class AnchorChoice {
  private AnchorChoice() {}

  /** What was chosen and why, for the log. */
  public record Choice(AnchorConfig anchors, int boxesPerCell, String summary) {}

  /**
   * Tunes the reference SSD7 anchors ({@link AnchorConfig#ssd7}) at the given input size to the
   * boxes of {@code train}; returns them unchanged when the dataset has no sized boxes.
   */
  public static Choice ssd7(Dataset train, int inputHeight, int inputWidth) {
    AnchorConfig base = AnchorConfig.ssd7(inputHeight, inputWidth);
    List<Double> sizes = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (Sample s : train.samples()) {
      if (s.width() <= 0 || s.height() <= 0) {
        continue;
      }
      double sx = (double) inputWidth / s.width();
      double sy = (double) inputHeight / s.height();
      for (ObjectBox b : s.objects()) {
        double w = (b.xmax() - b.xmin()) * sx;
        double h = (b.ymax() - b.ymin()) * sy;
        if (w > 0 && h > 0) {
          sizes.add(Math.sqrt(w * h) / Math.min(inputHeight, inputWidth));
          ratios.add(w / h);
        }
      }
    }
    int perCell = base.boxesPerCell(0);
    if (sizes.size() < 20) {
      return new Choice(base, perCell, "reference SSD7 anchors (too few sized boxes to tune)");
    }
    double[] sz = sizes.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double[] ar = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double min = clamp(quantile(sz, 0.05) * 0.9, 0.03, 0.2);
    double max = clamp(quantile(sz, 0.95) * 1.1, Math.max(0.4, min * 4), 1.0);
    List<Double> ars = new ArrayList<>(List.of(0.5, 1.0, 2.0));
    if (fractionBelow(ar, 0.4) > 0.1) {
      ars.add(0, 1.0 / 3);
    }
    if (1 - fractionBelow(ar, 2.5) > 0.1) {
      ars.add(3.0);
    }
    int layers = base.layerCount();
    double[] scales = new double[layers + 1];
    for (int i = 0; i <= layers; i++) {
      scales[i] = min + (max - min) * i / layers;
    }
    AnchorConfig tuned =
        base.toBuilder()
            .scales(scales)
            .aspectRatiosGlobal(ars.stream().mapToDouble(Double::doubleValue).toArray())
            .build();
    String summary =
        String.format(
            Locale.ROOT,
            "anchors from %d training boxes: scales %s, aspect ratios %s",
            sz.length,
            Arrays.toString(
                Arrays.stream(scales).map(v -> Math.round(v * 1000) / 1000.0).toArray()),
            ars.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
    return new Choice(tuned, tuned.boxesPerCell(0), summary);
  }

  private static double quantile(double[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  private static double fractionBelow(double[] sorted, double v) {
    int i = Arrays.binarySearch(sorted, v);
    int idx = i >= 0 ? i : -i - 1;
    return (double) idx / sorted.length;
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
