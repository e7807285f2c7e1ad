package org.grievance.ssd.spec;

/**
 * A model description that cannot be used: malformed JSON, a missing or invalid field, an unknown
 * architecture, a format version newer than this code, or parts that contradict each other. The
 * message names the file (when there is one) and the field.
 */
public final class ModelDescriptionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ModelDescriptionException(String message) {
    super(message);
  }

  public ModelDescriptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
