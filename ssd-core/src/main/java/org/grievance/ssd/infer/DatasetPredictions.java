package org.grievance.ssd.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.ResultRow;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;

/**
 * Runs a {@link Detector} over every image of a dataset and returns COCO results rows: the
 * dataset's image id, the dataset's category id of the class, the box as {@code x, y, w, h} in the
 * original image's pixels. Model classes are matched to dataset classes <em>by name</em>, so a
 * dataset loaded with another class order or a class filter still gets the right ids; detections of
 * model classes the dataset does not have are left out.
 */
public final class DatasetPredictions {
  /** Told after each batch. */
  public interface Progress {
    Progress NONE = (done, total) -> {};

    void update(int done, int total);
  }

  /**
   * The rows and what did not make it into them.
   *
   * @param rows one per kept detection, dataset order, best first within an image
   * @param images images processed
   * @param droppedBoxes detections left out because their box was not finite or inverted
   * @param unmatchedModelClasses model classes without a dataset class of the same name
   */
  public record Result(
      List<ResultRow> rows, int images, int droppedBoxes, List<String> unmatchedModelClasses) {
    public Result {
      rows = List.copyOf(rows);
      unmatchedModelClasses = List.copyOf(unmatchedModelClasses);
    }
  }

  private DatasetPredictions() {}

  /**
   * Predicts every image of {@code dataset}, {@link DetectorOptions#batchSize()} at a time.
   *
   * @throws IllegalArgumentException if no model class is a dataset class
   * @throws IOException naming the image file that cannot be read
   */
  public static Result predict(Detector detector, Dataset dataset, Progress progress)
      throws IOException {
    List<String> modelClasses = detector.description().classNames();
    int[] categoryOfModelClass = new int[modelClasses.size() + 1];
    List<String> unmatched = new ArrayList<>();
    for (int c = 1; c <= modelClasses.size(); c++) {
      OptionalInt datasetClass = dataset.classIdOf(modelClasses.get(c - 1));
      if (datasetClass.isPresent()) {
        categoryOfModelClass[c] = dataset.categoryIdOfClass(datasetClass.getAsInt());
      } else {
        categoryOfModelClass[c] = Integer.MIN_VALUE;
        unmatched.add(modelClasses.get(c - 1));
      }
    }
    if (unmatched.size() == modelClasses.size()) {
      throw new IllegalArgumentException(
          "the model's classes "
              + modelClasses
              + " share no name with the dataset's "
              + dataset.classNames());
    }
    List<ResultRow> rows = new ArrayList<>();
    int dropped = 0;
    List<Sample> samples = dataset.samples();
    int batchSize = detector.options().batchSize();
    for (int start = 0; start < samples.size(); start += batchSize) {
      List<Sample> batch = samples.subList(start, Math.min(samples.size(), start + batchSize));
      List<RgbImage> images = new ArrayList<>(batch.size());
      for (Sample s : batch) {
        images.add(ImageFiles.read(s.imagePath()));
      }
      List<List<Detection>> detections = detector.detect(images);
      for (int i = 0; i < batch.size(); i++) {
        String imageId = batch.get(i).imageId();
        for (Detection d : detections.get(i)) {
          int category = categoryOfModelClass[d.classId()];
          if (category == Integer.MIN_VALUE) {
            continue;
          }
          if (!addRow(rows, imageId, category, d)) {
            dropped++;
          }
        }
      }
      progress.update(start + batch.size(), samples.size());
    }
    return new Result(rows, samples.size(), dropped, unmatched);
  }

  /**
   * The rows of detections made elsewhere, e.g. read back from {@code ssd predict --json} or {@code
   * ssd batch predict} output ({@link DetectionWriter}): each document is matched to the dataset's
   * image by its path (absolute and normalised, a {@code file:} URI counts as its path), and each
   * detection to a dataset class by its class name. Dataset images without a document count as
   * images where nothing was found.
   *
   * @throws IllegalArgumentException naming a document whose image is not in the dataset, or one
   *     image with two documents
   */
  public static Result fromDocuments(Dataset dataset, List<ImageDetections> documents) {
    java.util.Map<Path, String> idOfPath = new java.util.HashMap<>();
    for (Sample s : dataset.samples()) {
      idOfPath.put(s.imagePath().toAbsolutePath().normalize(), s.imageId());
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.util.Set<String> unmatched = new java.util.TreeSet<>();
    List<ResultRow> rows = new ArrayList<>();
    int dropped = 0;
    for (ImageDetections doc : documents) {
      String imageId = doc.image() == null ? null : idOfPath.get(localPath(doc.image()));
      if (imageId == null) {
        throw new IllegalArgumentException(
            "detections of image "
                + doc.image()
                + " do not belong to the dataset (its images are matched by path)");
      }
      if (!seen.add(imageId)) {
        throw new IllegalArgumentException("image " + doc.image() + " has two detection documents");
      }
      for (Detection d : doc.detections()) {
        OptionalInt datasetClass = dataset.classIdOf(d.className());
        if (datasetClass.isEmpty()) {
          unmatched.add(d.className());
          continue;
        }
        if (!addRow(rows, imageId, dataset.categoryIdOfClass(datasetClass.getAsInt()), d)) {
          dropped++;
        }
      }
    }
    return new Result(rows, dataset.samples().size(), dropped, new ArrayList<>(unmatched));
  }

  private static Path localPath(String image) {
    Path p = image.startsWith("file:") ? Path.of(java.net.URI.create(image)) : Path.of(image);
    return p.toAbsolutePath().normalize();
  }

  /** Adds the row of {@code d} when its box is usable; false when it is left out. */
  private static boolean addRow(List<ResultRow> rows, String imageId, int category, Detection d) {
    if (!usable(d)) {
      return false;
    }
    rows.add(
        ResultRow.ofCorners(imageId, category, d.xmin(), d.ymin(), d.xmax(), d.ymax(), d.score()));
    return true;
  }

  /** A box the results format can hold: finite, not inverted, finite score. */
  private static boolean usable(Detection d) {
    return Double.isFinite(d.xmin())
        && Double.isFinite(d.ymin())
        && Double.isFinite(d.xmax())
        && Double.isFinite(d.ymax())
        && Double.isFinite(d.score())
        && d.xmax() >= d.xmin()
        && d.ymax() >= d.ymin();
  }
}
