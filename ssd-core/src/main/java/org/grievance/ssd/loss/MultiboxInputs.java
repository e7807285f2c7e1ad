package org.grievance.ssd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The four arrays {@link SsdLoss} consumes, with their shapes checked against each other.
 *
 * @param classLogits raw class scores {@code (B, N, C+1)}, index 0 = background
 * @param boxOffsets predicted box offsets {@code (B, N, 4)}
 * @param classIds target class per anchor {@code (B, N)}: 0 background, {@code c > 0} object class,
 *     -1 neutral (ignored)
 * @param targetOffsets encoded ground-truth offsets {@code (B, N, 4)}
 */
record MultiboxInputs(
    NDArray classLogits, NDArray boxOffsets, NDArray classIds, NDArray targetOffsets) {

  /** Label of anchors that take part in no loss term. */
  static final long NEUTRAL = -1;

  /** Unpacks and validates {@code labels = (classIds, targetOffsets)}, predictions likewise. */
  static MultiboxInputs of(NDList labels, NDList predictions) {
    requireSize(labels, "labels", "(classIds, targetOffsets)");
    requireSize(predictions, "predictions", "(classLogits, boxOffsets)");
    MultiboxInputs in =
        new MultiboxInputs(predictions.get(0), predictions.get(1), labels.get(0), labels.get(1));
    in.validate();
    return in;
  }

  int batchSize() {
    return Math.toIntExact(classLogits.getShape().get(0));
  }

  int anchors() {
    return Math.toIntExact(classLogits.getShape().get(1));
  }

  /** {@code C+1}: object classes plus background. */
  int classesWithBackground() {
    return Math.toIntExact(classLogits.getShape().get(2));
  }

  private void validate() {
    Shape logits = classLogits.getShape();
    if (logits.dimension() != 3 || logits.get(2) < 2) {
      throw new IllegalArgumentException(
          "classLogits must have shape (B, N, C+1) with C+1 >= 2, got " + logits);
    }
    long b = logits.get(0);
    long n = logits.get(1);
    if (b < 1 || n < 1) {
      throw new IllegalArgumentException(
          "classLogits must hold at least one batch item and one anchor, got " + logits);
    }
    requireShape(boxOffsets, "boxOffsets", new Shape(b, n, 4));
    requireShape(classIds, "classIds", new Shape(b, n));
    requireShape(targetOffsets, "targetOffsets", new Shape(b, n, 4));
    requireFloating(classLogits, "classLogits");
    requireFloating(targetOffsets, "targetOffsets");
    if (boxOffsets.getDataType() != classLogits.getDataType()) {
      throw new IllegalArgumentException(
          "boxOffsets must have the data type of classLogits ("
              + classLogits.getDataType()
              + "), got "
              + boxOffsets.getDataType());
    }
    if (!classIds.getDataType().isInteger()) {
      throw new IllegalArgumentException(
          "classIds must be an integer array (int32 or int64), got " + classIds.getDataType());
    }
  }

  /**
   * Class ids as int64 after checking that every id lies in {@code [-1, C]}; names the first
   * offending anchor otherwise. Reads two scalars back from the device.
   */
  NDArray checkedClassIds() {
    NDArray ids = classIds.toType(DataType.INT64, false);
    long max = classesWithBackground() - 1L;
    if (ids.min().getLong() < NEUTRAL || ids.max().getLong() > max) {
      NDArray bad = ids.lt(NEUTRAL).logicalOr(ids.gt(max)).toType(DataType.INT32, false);
      long flat = bad.flatten().argMax().getLong();
      long item = flat / anchors();
      long anchor = flat % anchors();
      throw new IllegalArgumentException(
          String.format(
              "classIds[%d, %d] = %d is outside [-1, %d] (-1 neutral, 0 background, 1..%d"
                  + " object classes)",
              item, anchor, ids.get(item, anchor).getLong(), max, max));
    }
    return ids;
  }

  private static void requireSize(NDList list, String name, String expected) {
    if (list == null || list.size() != 2) {
      throw new IllegalArgumentException(
          name
              + " must hold 2 arrays "
              + expected
              + ", got "
              + (list == null ? "null" : list.size() + " arrays"));
    }
  }

  private static void requireShape(NDArray array, String name, Shape expected) {
    if (!array.getShape().equals(expected)) {
      throw new IllegalArgumentException(
          name + " must have shape " + expected + ", got " + array.getShape());
    }
  }

  private static void requireFloating(NDArray array, String name) {
    if (!array.getDataType().isFloating()) {
      throw new IllegalArgumentException(
          name + " must be a floating-point array, got " + array.getDataType());
    }
  }
}
