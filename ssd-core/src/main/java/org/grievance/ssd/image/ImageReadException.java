package org.grievance.ssd.image;

import java.io.IOException;
import java.nio.file.Path;

/** A file that should hold an image could not be decoded; the message names the file and why. */
public class ImageReadException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public ImageReadException(Path file, String reason) {
    super("cannot read image " + file + ": " + reason);
    this.file = file;
  }

  public ImageReadException(Path file, String reason, Throwable cause) {
    super("cannot read image " + file + ": " + reason, cause);
    this.file = file;
  }

  /** The file that failed. */
  public Path file() {
    return file;
  }
}
