package org.grievance.ssd.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds annotation problems that do not stop a dataset from loading but that a user should see (for
 * a {@code dataset check} command, and summarised in the log by {@link DatasetLoader}): unknown
 * image size, degenerate boxes, boxes reaching outside the image; on request also missing or
 * unreadable image files and sizes that disagree with the annotations.
 */
public final class DatasetProblems {
  private DatasetProblems() {}

  /**
   * One problem.
   *
   * @param file the file to fix: the annotation file ({@code Annotations/<id>.xml} for VOC, the
   *     label file for YOLO, else the dataset file), or the image file for problems of the image
   *     file itself (fields {@code image} and {@code image/size})
   * @param imageId the image concerned
   * @param objectIndex index of the object in the image's kept objects, -1 for the image itself
   * @param field the offending field ({@code size}, {@code bndbox}, {@code bndbox/xmax}, {@code
   *     image}, ...)
   * @param message what is wrong, with the values
   */
  public record Problem(
      String file, String imageId, int objectIndex, String field, String message) {
    /**
     * True for "the annotations give no image size": normal for CSV datasets, so a note rather than
     * a defect.
     */
    public boolean isUnknownSize() {
      return field.equals("size");
    }

    @Override
    public String toString() {
      return file
          + ": image "
          + imageId
          + (objectIndex >= 0 ? " object #" + objectIndex : "")
          + " "
          + field
          + ": "
          + message;
    }
  }

  /** All annotation problems of {@code dataset}, in sample order; image files are not opened. */
  public static List<Problem> validate(Dataset dataset) {
    return validate(dataset, false);
  }

  /**
   * All problems of {@code dataset}, in sample order.
   *
   * @param checkImages also read every image header (no pixels): a missing or unreadable image is a
   *     problem (field {@code image}), so is a size differing from the annotations' ({@code
   *     image/size}); where the annotations give no size, the header's size replaces the {@code
   *     size} note and boxes are checked against it
   */
  public static List<Problem> validate(Dataset dataset, boolean checkImages) {
    List<Problem> out = new ArrayList<>();
    Path source = Path.of(dataset.source());
    boolean voc = Files.isDirectory(source.resolve("Annotations"));
    boolean yolo =
        !voc
            && Files.isDirectory(source.resolve("labels"))
            && Files.isDirectory(source.resolve("images"));
    for (Sample s : dataset.samples()) {
      String file =
          voc
              ? source.resolve("Annotations").resolve(s.imageId() + ".xml").toString()
              : yolo ? YoloReader.labelFile(s.imagePath()).toString() : dataset.source();
      int width = s.width();
      int height = s.height();
      boolean sized = s.hasSize();
      if (checkImages) {
        String image = s.imagePath().toString();
        try {
          int[] real = ImageHeader.size(s.imagePath());
          if (sized && (real[0] != width || real[1] != height)) {
            out.add(
                new Problem(
                    image,
                    s.imageId(),
                    -1,
                    "image/size",
                    "image is "
                        + real[0]
                        + "x"
                        + real[1]
                        + " but "
                        + file
                        + " says "
                        + width
                        + "x"
                        + height));
          } else if (!sized) {
            width = real[0];
            height = real[1];
            sized = true;
          }
        } catch (NoSuchFileException e) {
          out.add(new Problem(image, s.imageId(), -1, "image", "image file is missing"));
        } catch (IOException e) {
          out.add(
              new Problem(
                  image, s.imageId(), -1, "image", "cannot read image header: " + e.getMessage()));
        }
      }
      if (!sized) {
        out.add(
            new Problem(
                file,
                s.imageId(),
                -1,
                "size",
                "image size unknown (" + s.width() + "x" + s.height() + ")"));
      }
      for (int k = 0; k < s.objects().size(); k++) {
        ObjectBox b = s.objects().get(k);
        if (b.isDegenerate()) {
          out.add(
              new Problem(
                  file,
                  s.imageId(),
                  k,
                  "bndbox",
                  "degenerate box " + describe(b) + " (need xmax > xmin and ymax > ymin)"));
        }
        if (b.xmin() < 0 || b.ymin() < 0) {
          out.add(
              new Problem(
                  file,
                  s.imageId(),
                  k,
                  b.xmin() < 0 ? "bndbox/xmin" : "bndbox/ymin",
                  "box " + describe(b) + " starts at a negative coordinate"));
        }
        if (sized && (b.xmax() > width || b.ymax() > height)) {
          out.add(
              new Problem(
                  file,
                  s.imageId(),
                  k,
                  b.xmax() > width ? "bndbox/xmax" : "bndbox/ymax",
                  "box " + describe(b) + " extends beyond the " + width + "x" + height + " image"));
        }
      }
    }
    return out;
  }

  private static String describe(ObjectBox b) {
    return "(" + b.xmin() + ", " + b.ymin() + ", " + b.xmax() + ", " + b.ymax() + ")";
  }
}
