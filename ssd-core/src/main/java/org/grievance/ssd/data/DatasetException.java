package org.grievance.ssd.data;

import java.nio.file.Path;

/**
 * Malformed or inconsistent dataset input. The message always names the file, and the line or the
 * field where the problem is, so that a user can fix the file without a debugger.
 */
public class DatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code file: message}. */
  static DatasetException in(Path file, String message) {
    return new DatasetException(file + ": " + message);
  }

  /** {@code file:line: message}. */
  static DatasetException at(Path file, long line, String message) {
    return new DatasetException(file + ":" + line + ": " + message);
  }
}
