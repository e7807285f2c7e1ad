package org.grievance.ssd.encode;

/** A ground-truth label row the encoder cannot use; the message names the row and its values. */
public final class InvalidBoxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int boxIndex;

  InvalidBoxException(int boxIndex, double[] labels, int offset, String problem) {
    super(
        "label row "
            + boxIndex
            + " (class "
            + labels[offset]
            + ", xmin "
            + labels[offset + 1]
            + ", ymin "
            + labels[offset + 2]
            + ", xmax "
            + labels[offset + 3]
            + ", ymax "
            + labels[offset + 4]
            + "): "
            + problem);
    this.boxIndex = boxIndex;
  }

  /** Index of the offending row in the label array. */
  public int boxIndex() {
    return boxIndex;
  }
}
