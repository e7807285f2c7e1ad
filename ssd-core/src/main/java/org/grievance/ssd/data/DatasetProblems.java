package org.grievance.ssd.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds annotation problems that do not stop a dataset from loading but that a user should see (for
 * a {@code dataset check} command, and summarised in the log by {@link DatasetLoader}): unknown
 * image size, degenerate boxes, boxes reaching outside the image.
 */
public final class DatasetProblems {
  private DatasetProblems() {}

  /**
   * One problem.
   *
   * @param file the annotation file ({@code Annotations/<id>.xml} for VOC, else the dataset file)
   * @param imageId the image concerned
   * @param objectIndex index of the object in the image's kept objects, -1 for the image itself
   * @param field the offending field ({@code size}, {@code bndbox}, {@code bndbox/xmax}, ...)
   * @param message what is wrong, with the values
   */
  public record Problem(
      String file, String imageId, int objectIndex, String field, String message) {
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

  /** All problems of {@code dataset}, in sample order. */
  public static List<Problem> validate(Dataset dataset) {
    List<Problem> out = new ArrayList<>();
    Path source = Path.of(dataset.source());
    boolean voc = Files.isDirectory(source.resolve("Annotations"));
    for (Sample s : dataset.samples()) {
      String file =
          voc
              ? source.resolve("Annotations").resolve(s.imageId() + ".xml").toString()
              : dataset.source();
      boolean sized = s.hasSize();
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
        if (sized && (b.xmax() > s.width() || b.ymax() > s.height())) {
          out.add(
              new Problem(
                  file,
                  s.imageId(),
                  k,
                  b.xmax() > s.width() ? "bndbox/xmax" : "bndbox/ymax",
                  "box "
                      + describe(b)
                      + " extends beyond the "
                      + s.width()
                      + "x"
                      + s.height()
                      + " image"));
        }
      }
    }
    return out;
  }

  private static String describe(ObjectBox b) {
    return "(" + b.xmin() + ", " + b.ymin() + ", " + b.xmax() + ", " + b.ymax() + ")";
  }
}
