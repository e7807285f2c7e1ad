package org.grievance.ssd.decode;

import java.util.List;

/**
 * Turns one image's raw SSD head output into detections. An instance holds the anchors, variances
 * and {@link DecoderConfig}; it is immutable and may be shared between threads.
 *
 * <p>Inputs, for N anchors and C object classes: {@code classScores} is {@code N·(C+1)} softmax
 * probabilities in anchor-major order (column 0 is the background), {@code offsets} is {@code N·4}
 * predicted offsets in the anchors' layout. The result is sorted by score, descending; equal scores
 * keep the decoder's natural order (see the implementations).
 */
public interface DetectionDecoder {

  /**
   * Decodes into the frame of another image size: boxes of the {@code inputHeight × inputWidth}
   * network input are scaled by {@code frameWidth/inputWidth} in x and {@code
   * frameHeight/inputHeight} in y (e.g. back to the original photo before resizing). When the
   * anchors are normalised they are multiplied by the frame size directly.
   */
  List<Detection> decodeToFrame(
      double[] classScores,
      double[] offsets,
      int inputHeight,
      int inputWidth,
      int frameHeight,
      int frameWidth);

  /**
   * Decodes into the pixels of the network input ({@code imageHeight × imageWidth}); when the
   * anchors are not normalised the boxes stay in the anchors' units.
   */
  default List<Detection> decode(
      double[] classScores, double[] offsets, int imageHeight, int imageWidth) {
    return decodeToFrame(classScores, offsets, imageHeight, imageWidth, imageHeight, imageWidth);
  }

  /** {@link #decode(double[], double[], int, int)} for a model's float output. */
  default List<Detection> decode(
      float[] classScores, float[] offsets, int imageHeight, int imageWidth) {
    return decode(widen(classScores), widen(offsets), imageHeight, imageWidth);
  }

  /** {@link #decodeToFrame(double[], double[], int, int, int, int)} for a model's float output. */
  default List<Detection> decodeToFrame(
      float[] classScores,
      float[] offsets,
      int inputHeight,
      int inputWidth,
      int frameHeight,
      int frameWidth) {
    return decodeToFrame(
        widen(classScores), widen(offsets), inputHeight, inputWidth, frameHeight, frameWidth);
  }

  private static double[] widen(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
