package org.grievance.ssd.model;

/**
 * One feature map a {@link BaseNetwork} hands to the predictor heads.
 *
 * @param name the reference's name of the layer producing it (for example {@code conv4})
 * @param channels its channel count
 * @param height its spatial height in cells
 * @param width its spatial width in cells
 */
public record FeatureMapShape(String name, int channels, int height, int width) {
  public FeatureMapShape {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, got " + name);
    }
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "feature map "
              + name
              + " needs channels, height and width >= 1, got "
              + channels
              + "x"
              + height
              + "x"
              + width);
    }
  }

  /** Number of cells, {@code height * width}. */
  public int cells() {
    return height * width;
  }
}
