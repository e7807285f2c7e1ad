package org.grievance.ssd.augment;

import java.util.Objects;
import org.grievance.ssd.box.BorderPixels;

/**
 * Decides whether a (candidate) image keeps enough of its boxes: valid iff at least {@code
 * nBoxesMin} label rows pass the overlap check of a {@link BoxFilter}, or, with {@link #ALL}, iff
 * every row does (so zero rows are valid under {@link #ALL}).
 *
 * <p>Immutable: where the reference mutates {@code validator.bounds} at run time ({@code
 * RandomPatchInf}), callers pass the bounds to {@link #isValid(double[][], int, int, Bounds)}.
 */
public record ImageValidator(
    OverlapCriterion overlapCriterion, Bounds bounds, int nBoxesMin, BorderPixels borderPixels) {
  /** {@code nBoxesMin} meaning "every box". */
  public static final int ALL = -1;

  public ImageValidator {
    Objects.requireNonNull(overlapCriterion, "overlapCriterion");
    Objects.requireNonNull(bounds, "bounds");
    Objects.requireNonNull(borderPixels, "borderPixels");
    if (nBoxesMin <= 0 && nBoxesMin != ALL) {
      throw new IllegalArgumentException(
          "nBoxesMin must be a positive count or ImageValidator.ALL, got " + nBoxesMin);
    }
  }

  /** With border convention {@code half}. */
  public ImageValidator(OverlapCriterion overlapCriterion, Bounds bounds, int nBoxesMin) {
    this(overlapCriterion, bounds, nBoxesMin, BorderPixels.HALF);
  }

  public boolean isValid(double[][] labels, int imageHeight, int imageWidth) {
    return isValid(labels, imageHeight, imageWidth, bounds);
  }

  /** As {@link #isValid(double[][], int, int)} with other bounds. */
  public boolean isValid(double[][] labels, int imageHeight, int imageWidth, Bounds other) {
    int d = borderPixels.delta();
    int kept = 0;
    for (double[] row : labels) {
      if (BoxFilter.overlaps(
          overlapCriterion,
          other,
          d,
          row[Labels.XMIN],
          row[Labels.YMIN],
          row[Labels.XMAX],
          row[Labels.YMAX],
          imageHeight,
          imageWidth)) {
        kept++;
      } else if (nBoxesMin == ALL) {
        return false;
      }
    }
    return nBoxesMin == ALL || kept >= nBoxesMin;
  }
}
