package org.grievance.ssd.augment;

import java.util.Objects;
import org.grievance.ssd.image.RgbImage;

/**
 * One sample travelling through an augmentation chain: the image, its ground-truth label rows
 * {@code (class_id, xmin, ymin, xmax, ymax)} (corners, absolute pixels; the layout the encoder
 * takes; zero rows for an image without labels) and the inverter that maps predictions on this
 * image back to the original frame.
 *
 * <p>Operations never modify the arrays they receive; they return new ones. Callers must likewise
 * not modify arrays of a sample they passed on.
 */
public record Labeled(RgbImage image, double[][] labels, Inverter inverter) {
  /** Number of values in a label row. */
  public static final int ROW = 5;

  public Labeled {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(labels, "labels (use an empty array for an image without labels)");
    Objects.requireNonNull(inverter, "inverter");
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == null || labels[i].length != ROW) {
        throw new IllegalArgumentException(
            "label row "
                + i
                + " must hold 5 values (class_id, xmin, ymin, xmax, ymax), got "
                + (labels[i] == null ? "null" : labels[i].length + " values"));
      }
    }
  }

  /** An image without labels. */
  public static Labeled of(RgbImage image) {
    return new Labeled(image, new double[0][], Inverter.IDENTITY);
  }

  /** An image with labels and no transform applied yet. */
  public static Labeled of(RgbImage image, double[][] labels) {
    return new Labeled(image, labels, Inverter.IDENTITY);
  }

  /** The result of one more transform whose own inverse is {@code stepInverter}. */
  public Labeled next(RgbImage newImage, double[][] newLabels, Inverter stepInverter) {
    return new Labeled(newImage, newLabels, Inverter.undoBoth(stepInverter, inverter));
  }

  /** Same labels and inverter, new pixels (photometric operations). */
  public Labeled withImage(RgbImage newImage) {
    return new Labeled(newImage, labels, inverter);
  }

  public int height() {
    return image.height();
  }

  public int width() {
    return image.width();
  }

  public boolean hasLabels() {
    return labels.length > 0;
  }
}
