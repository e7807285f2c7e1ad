package org.grievance.ssd.anchor;

/** Spatial size of one predictor layer's feature map: one anchor grid cell per position. */
public record FeatureMapSize(int height, int width) {
  public FeatureMapSize {
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "feature map size must be at least 1x1, but is " + height + "x" + width);
    }
  }

  /** Number of cells, {@code height · width}. */
  public int cells() {
    return height * width;
  }

  @Override
  public String toString() {
    return height + "x" + width;
  }
}
