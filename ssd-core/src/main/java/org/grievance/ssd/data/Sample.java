package org.grievance.ssd.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One image of a dataset and its annotations.
 *
 * @param imageId id used in results files (VOC/CSV file stem, COCO id as a decimal string)
 * @param imagePath where the image should be; not checked to exist (pixels are loaded elsewhere)
 * @param width image width from the annotations, {@code 0} if unknown
 * @param height image height from the annotations, {@code 0} if unknown
 * @param objects the kept objects, possibly empty
 */
public record Sample(
    String imageId, Path imagePath, int width, int height, List<ObjectBox> objects) {

  public Sample {
    Objects.requireNonNull(imageId, "imageId");
    if (imageId.isBlank()) {
      throw new IllegalArgumentException("imageId must not be blank");
    }
    Objects.requireNonNull(imagePath, "imagePath of image " + imageId);
    if (width < 0 || height < 0) {
      throw new IllegalArgumentException(
          "image "
              + imageId
              + ": width/height must be >= 0 (0 = unknown), got "
              + width
              + "x"
              + height);
    }
    objects = List.copyOf(Objects.requireNonNull(objects, "objects of image " + imageId));
  }

  /** True when both width and height are known. */
  public boolean hasSize() {
    return width > 0 && height > 0;
  }

  /** The same image with other objects. */
  public Sample withObjects(List<ObjectBox> newObjects) {
    return new Sample(imageId, imagePath, width, height, newObjects);
  }
}
