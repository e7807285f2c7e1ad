package org.grievance.ssd.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.DatasetLoader;
import org.grievance.ssd.data.DatasetSpec;

/**
 * The datasets of a run: what it trains on, what it validates on, and where the training images
 * came from (for the model's provenance).
 *
 * @param source the spec the training images were loaded with, or {@code null} when unknown
 * @param train the training images
 * @param validation the validation images with the training classes, or {@code null}
 */
public record TrainingData(DatasetSpec source, Dataset train, Dataset validation) {
  /** The image set a VOC directory trains on by default. */
  public static final String TRAIN_SPLIT = "train";

  /** The image set a VOC directory validates on by default. */
  public static final String VALIDATION_SPLIT = "val";

  /** Validates. */
  public TrainingData {
    Objects.requireNonNull(train, "train");
  }

  /** Datasets loaded elsewhere. */
  public static TrainingData of(Dataset train, Dataset validation) {
    return new TrainingData(null, train, validation);
  }

  /**
   * The datasets {@code ssd train --data PATH} uses: {@code train}, restricted to the {@value
   * #TRAIN_SPLIT} image set when it names no split and is a VOC directory with one; validation on
   * the same dataset's {@value #VALIDATION_SPLIT} image set when it has one (same format, the
   * training classes), else none.
   */
  public static TrainingData load(DatasetSpec train) {
    return load(train, null);
  }

  /**
   * Like {@link #load(DatasetSpec)}, validating on {@code validation} (read with the training
   * classes) when it is not {@code null}.
   */
  public static TrainingData load(DatasetSpec train, DatasetSpec validation) {
    DatasetSpec trainSpec =
        train.split() == null && hasSplit(train.path(), TRAIN_SPLIT)
            ? train.toBuilder().split(TRAIN_SPLIT).build()
            : train;
    Dataset trainImages = DatasetLoader.load(trainSpec);
    DatasetSpec validationSpec = validation;
    if (validationSpec == null && hasSplit(train.path(), VALIDATION_SPLIT)) {
      validationSpec =
          DatasetSpec.builder(train.path()).split(VALIDATION_SPLIT).format(train.format()).build();
    }
    Dataset validationImages =
        validationSpec == null
            ? null
            : DatasetLoader.load(
                validationSpec.toBuilder().classes(trainImages.classNames()).build());
    return new TrainingData(trainSpec, trainImages, validationImages);
  }

  /**
   * {@code data} restricted to its {@value #VALIDATION_SPLIT} image set, when it names no split and
   * is a VOC directory that has one: where {@code ssd train} validates, and so where {@code ssd
   * calibrate} looks when told no split; otherwise {@code data} as it is.
   */
  public static DatasetSpec validationSplit(DatasetSpec data) {
    return data.split() == null && hasSplit(data.path(), VALIDATION_SPLIT)
        ? data.toBuilder().split(VALIDATION_SPLIT).build()
        : data;
  }

  private static boolean hasSplit(Path data, String split) {
    return Files.isRegularFile(data.resolve("ImageSets").resolve("Main").resolve(split + ".txt"));
  }
}
