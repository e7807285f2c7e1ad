package org.grievance.ssd.augment;

import java.util.Arrays;
import java.util.Objects;
import org.grievance.ssd.box.BorderPixels;
import org.grievance.ssd.box.Boxes;

/**
 * Keeps the label rows that pass every enabled check, in input order (the reference's {@code
 * BoxFilter}):
 *
 * <ul>
 *   <li>degenerate: {@code xmax > xmin} and {@code ymax > ymin};
 *   <li>minimum area: {@code (xmax − xmin)·(ymax − ymin) >= minArea} (no border correction);
 *   <li>overlap with the image, by {@link OverlapCriterion}: {@code center_point} inclusive in
 *       {@code [0, W−1] × [0, H−1]}; {@code iou} with {@code lower < IoU <= upper}; {@code area}
 *       with the box clipped to {@code [0, W−1] × [0, H−1]} and {@code clipped >= lower·area}
 *       (strictly {@code >} when {@code lower == 0}) and {@code clipped <= upper·area}, both areas
 *       with the border delta.
 * </ul>
 *
 * <p>Deviation: the {@code iou} criterion uses the corrected IoU of {@link Boxes} (border delta
 * also applied to the intersection; reference quirk,
 * docs/reference-behaviour.md#quirk-1-iou-border). With {@code border_pixels = 'half'} (the
 * default) both agree.
 */
public record BoxFilter(
    boolean checkOverlap,
    boolean checkMinArea,
    boolean checkDegenerate,
    OverlapCriterion overlapCriterion,
    Bounds overlapBounds,
    double minArea,
    BorderPixels borderPixels) {

  public BoxFilter {
    Objects.requireNonNull(overlapCriterion, "overlapCriterion");
    Objects.requireNonNull(overlapBounds, "overlapBounds");
    Objects.requireNonNull(borderPixels, "borderPixels");
    if (Double.isNaN(minArea)) {
      throw new IllegalArgumentException("minArea must be a number, got NaN");
    }
  }

  /** The reference defaults: all checks, center_point, bounds (0.3, 1.0), min area 16, half. */
  public static Builder builder() {
    return new Builder();
  }

  /** Only the degenerate check. */
  public static BoxFilter degenerateOnly() {
    return builder().checkOverlap(false).checkMinArea(false).build();
  }

  /** The rows of {@code labels} this filter keeps for an image of the given size. */
  public double[][] filter(double[][] labels, int imageHeight, int imageWidth) {
    return filter(labels, imageHeight, imageWidth, overlapBounds);
  }

  /** As {@link #filter(double[][], int, int)} with other overlap bounds. */
  public double[][] filter(double[][] labels, int imageHeight, int imageWidth, Bounds bounds) {
    double[][] kept = new double[labels.length][];
    int n = 0;
    for (double[] row : labels) {
      if (keeps(row, imageHeight, imageWidth, bounds)) {
        kept[n++] = row;
      }
    }
    return n == labels.length ? kept : Arrays.copyOf(kept, n);
  }

  /** Whether one label row passes every enabled check. */
  public boolean keeps(double[] row, int imageHeight, int imageWidth, Bounds bounds) {
    double xmin = row[Labels.XMIN];
    double ymin = row[Labels.YMIN];
    double xmax = row[Labels.XMAX];
    double ymax = row[Labels.YMAX];
    if (checkDegenerate && !(xmax > xmin && ymax > ymin)) {
      return false;
    }
    if (checkMinArea && !((xmax - xmin) * (ymax - ymin) >= minArea)) {
      return false;
    }
    return !checkOverlap
        || overlaps(
            overlapCriterion,
            bounds,
            borderPixels.delta(),
            xmin,
            ymin,
            xmax,
            ymax,
            imageHeight,
            imageWidth);
  }

  /** The overlap test shared with {@link ImageValidator}. */
  static boolean overlaps(
      OverlapCriterion criterion,
      Bounds bounds,
      int d,
      double xmin,
      double ymin,
      double xmax,
      double ymax,
      int imageHeight,
      int imageWidth) {
    switch (criterion) {
      case CENTER_POINT -> {
        double cx = (xmin + xmax) / 2;
        double cy = (ymin + ymax) / 2;
        return cx >= 0 && cx <= imageWidth - 1 && cy >= 0 && cy <= imageHeight - 1;
      }
      case IOU -> {
        double iou = Boxes.iouCorners(xmin, ymin, xmax, ymax, 0, 0, imageWidth, imageHeight, d);
        return bounds.lower() < iou && iou <= bounds.upper();
      }
      case AREA -> {
        double area = (xmax - xmin + d) * (ymax - ymin + d);
        double cxmin = Labels.clamp(xmin, 0, imageWidth - 1);
        double cxmax = Labels.clamp(xmax, 0, imageWidth - 1);
        double cymin = Labels.clamp(ymin, 0, imageHeight - 1);
        double cymax = Labels.clamp(ymax, 0, imageHeight - 1);
        double clipped = (cxmax - cxmin + d) * (cymax - cymin + d);
        boolean lowerOk = bounds.lower() == 0 ? clipped > 0 : clipped >= bounds.lower() * area;
        return lowerOk && clipped <= bounds.upper() * area;
      }
      default -> throw new IllegalStateException("unreachable");
    }
  }

  /** Builder starting from the reference defaults. */
  public static final class Builder {
    private boolean checkOverlap = true;
    private boolean checkMinArea = true;
    private boolean checkDegenerate = true;
    private OverlapCriterion overlapCriterion = OverlapCriterion.CENTER_POINT;
    private Bounds overlapBounds = new Bounds(0.3, 1.0);
    private double minArea = 16;
    private BorderPixels borderPixels = BorderPixels.HALF;

    private Builder() {}

    public Builder checkOverlap(boolean v) {
      checkOverlap = v;
      return this;
    }

    public Builder checkMinArea(boolean v) {
      checkMinArea = v;
      return this;
    }

    public Builder checkDegenerate(boolean v) {
      checkDegenerate = v;
      return this;
    }

    public Builder overlapCriterion(OverlapCriterion v) {
      overlapCriterion = v;
      return this;
    }

    public Builder overlapBounds(Bounds v) {
      overlapBounds = v;
      return this;
    }

    public Builder minArea(double v) {
      minArea = v;
      return this;
    }

    public Builder borderPixels(BorderPixels v) {
      borderPixels = v;
      return this;
    }

    public BoxFilter build() {
      return new BoxFilter(
          checkOverlap,
          checkMinArea,
          checkDegenerate,
          overlapCriterion,
          overlapBounds,
          minArea,
          borderPixels);
    }
  }
}
