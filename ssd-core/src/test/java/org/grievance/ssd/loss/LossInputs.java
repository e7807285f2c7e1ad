package org.grievance.ssd.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Builds {@link SsdLoss} inputs from the reference's layout: per anchor a class vector (one-hot
 * ground truth, or predicted probabilities) followed by 4 offsets.
 */
final class LossInputs {
  /** The reference's probability clamp; its log turns probabilities into equivalent logits. */
  static final double PROBABILITY_FLOOR = 1e-15;

  final int batch;
  final int anchors;
  final int classes;
  final double[] logits;
  final double[] boxOffsets;
  final long[] classIds;
  final double[] targetOffsets;

  private LossInputs(int batch, int anchors, int classes) {
    this.batch = batch;
    this.anchors = anchors;
    this.classes = classes;
    this.logits = new double[batch * anchors * classes];
    this.boxOffsets = new double[batch * anchors * 4];
    this.classIds = new long[batch * anchors];
    this.targetOffsets = new double[batch * anchors * 4];
  }

  /**
   * From flat row-major {@code y_true} and {@code y_pred} of shape {@code (B, N, width)} whose
   * first {@code classes} columns are classes and next 4 offsets (further columns ignored). A class
   * vector without a 1 is neutral (-1); predicted probabilities become {@code log(max(p, 1e-15))},
   * which log-softmax maps back to the reference's clamped log-probabilities.
   */
  static LossInputs fromReference(
      double[] yTrue, double[] yPred, int batch, int anchors, int width, int classes) {
    LossInputs in = new LossInputs(batch, anchors, classes);
    for (int row = 0; row < batch * anchors; row++) {
      int base = row * width;
      long id = -1;
      for (int c = 0; c < classes; c++) {
        if (yTrue[base + c] == 1.0) {
          id = c;
        }
        in.logits[row * classes + c] = Math.log(Math.max(yPred[base + c], PROBABILITY_FLOOR));
      }
      in.classIds[row] = id;
      for (int j = 0; j < 4; j++) {
        in.targetOffsets[row * 4 + j] = yTrue[base + classes + j];
        in.boxOffsets[row * 4 + j] = yPred[base + classes + j];
      }
    }
    return in;
  }

  /** Anchors given one at a time with {@link #anchor}. */
  static LossInputs empty(int batch, int anchors, int classes) {
    return new LossInputs(batch, anchors, classes);
  }

  /** Sets one anchor from probabilities (no clamp needed when all are > 0). */
  LossInputs anchor(
      int item,
      int anchor,
      long classId,
      double[] probabilities,
      double[] predicted,
      double[] target) {
    int row = item * anchors + anchor;
    classIds[row] = classId;
    for (int c = 0; c < classes; c++) {
      logits[row * classes + c] = Math.log(Math.max(probabilities[c], PROBABILITY_FLOOR));
    }
    System.arraycopy(predicted, 0, boxOffsets, row * 4, 4);
    System.arraycopy(target, 0, targetOffsets, row * 4, 4);
    return this;
  }

  /** Predictions {@code (classLogits, boxOffsets)} in {@code dtype}. */
  NDList predictions(NDManager manager, DataType dtype) {
    return new NDList(
        array(manager, logits, new Shape(batch, anchors, classes), dtype),
        array(manager, boxOffsets, new Shape(batch, anchors, 4), dtype));
  }

  /** Labels {@code (classIds, targetOffsets)} with ids in {@code idType} (int32 or int64). */
  NDList labels(NDManager manager, DataType offsetType, DataType idType) {
    NDArray ids = manager.create(classIds, new Shape(batch, anchors)).toType(idType, false);
    return new NDList(ids, array(manager, targetOffsets, new Shape(batch, anchors, 4), offsetType));
  }

  private static NDArray array(NDManager manager, double[] values, Shape shape, DataType dtype) {
    return manager.create(values, shape).toType(dtype, false);
  }
}
