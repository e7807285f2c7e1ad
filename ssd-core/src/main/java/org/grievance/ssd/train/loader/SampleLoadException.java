package org.grievance.ssd.train.loader;

import java.nio.file.Path;

/**
 * One image of the data set could not be turned into training targets: its file is missing or
 * corrupt, its labels are invalid (e.g. a class id the encoder does not know), or an augmentation
 * step failed on it. The message names the image id and file; the cause says what went wrong.
 * Thrown to the consumer of the batch that would have held the image.
 */
public class SampleLoadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String imageId;
  private final transient Path imagePath;

  public SampleLoadException(String imageId, Path imagePath, Throwable cause) {
    super(
        "cannot load image "
            + imageId
            + " ("
            + imagePath
            + "): "
            + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()),
        cause);
    this.imageId = imageId;
    this.imagePath = imagePath;
  }

  /** The failing image's id. */
  public String imageId() {
    return imageId;
  }

  /** The failing image's file. */
  public Path imagePath() {
    return imagePath;
  }
}
