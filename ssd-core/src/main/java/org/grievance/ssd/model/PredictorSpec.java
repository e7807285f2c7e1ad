package org.grievance.ssd.model;

/**
 * One predictor layer of the heads: the reference's names of its two convolutions and how many
 * anchor boxes each feature-map cell carries.
 *
 * @param classesName name of the class convolution (SSD7 {@code classes4}, SSD300 {@code
 *     conv4_3_norm_mbox_conf})
 * @param boxesName name of the box-offset convolution (SSD7 {@code boxes4})
 * @param boxesPerCell anchors per cell, in the order the anchor generator produces them
 */
public record PredictorSpec(String classesName, String boxesName, int boxesPerCell) {
  public PredictorSpec {
    if (classesName == null || classesName.isBlank()) {
      throw new IllegalArgumentException("classesName must not be blank, got " + classesName);
    }
    if (boxesName == null || boxesName.isBlank()) {
      throw new IllegalArgumentException("boxesName must not be blank, got " + boxesName);
    }
    if (classesName.equals(boxesName)) {
      throw new IllegalArgumentException(
          "classesName and boxesName must differ, both are " + classesName);
    }
    if (boxesPerCell < 1) {
      throw new IllegalArgumentException(
          "boxesPerCell of " + classesName + " must be >= 1, got " + boxesPerCell);
    }
  }
}
