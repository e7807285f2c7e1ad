package org.grievance.ssd.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds SSD7 (docs/reference-behaviour.md#ssd7): the {@link Ssd7Base} with heads {@code
 * classes4..7} / {@code boxes4..7} on the post-ELU outputs of conv4..conv7.
 */
public final class Ssd7 {
  /** Predictor layers, one per feature map of the base. */
  public static final int PREDICTOR_LAYERS = 4;

  /** The reference default: aspect ratios (0.5, 1, 2) plus the second ratio-1 box. */
  public static final int DEFAULT_BOXES_PER_CELL = 4;

  private Ssd7() {}

  /**
   * What varies between SSD7 instances.
   *
   * @param positiveClasses object classes, background excluded (the reference's {@code n_classes})
   * @param boxesPerCell anchors per cell for conv4..conv7, as the anchor configuration yields them
   * @param preprocessing applied to the RGB 0–255 input inside the model (reference default: none)
   */
  public record Config(int positiveClasses, int[] boxesPerCell, InputPreprocessing preprocessing) {
    public Config {
      if (positiveClasses < 1) {
        throw new IllegalArgumentException("positiveClasses must be >= 1, got " + positiveClasses);
      }
      if (boxesPerCell == null || boxesPerCell.length != PREDICTOR_LAYERS) {
        throw new IllegalArgumentException(
            "boxesPerCell must hold "
                + PREDICTOR_LAYERS
                + " values (conv4..conv7), got "
                + (boxesPerCell == null ? null : Arrays.toString(boxesPerCell)));
      }
      for (int i = 0; i < boxesPerCell.length; i++) {
        if (boxesPerCell[i] < 1) {
          throw new IllegalArgumentException(
              "boxesPerCell[" + i + "] must be >= 1, got " + Arrays.toString(boxesPerCell));
        }
      }
      boxesPerCell = boxesPerCell.clone();
      if (preprocessing == null) {
        throw new IllegalArgumentException("preprocessing must be given (use none())");
      }
    }

    /** Reference defaults: 4 boxes per cell everywhere, no preprocessing. */
    public static Config defaults(int positiveClasses) {
      int[] boxes = new int[PREDICTOR_LAYERS];
      Arrays.fill(boxes, DEFAULT_BOXES_PER_CELL);
      return new Config(positiveClasses, boxes, InputPreprocessing.none());
    }

    @Override
    public int[] boxesPerCell() {
      return boxesPerCell.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Config c
          && c.positiveClasses == positiveClasses
          && Arrays.equals(c.boxesPerCell, boxesPerCell)
          && c.preprocessing.equals(preprocessing);
    }

    @Override
    public int hashCode() {
      return (31 * positiveClasses + Arrays.hashCode(boxesPerCell)) * 31 + preprocessing.hashCode();
    }

    @Override
    public String toString() {
      return "Ssd7.Config[positiveClasses="
          + positiveClasses
          + ", boxesPerCell="
          + Arrays.toString(boxesPerCell)
          + ", preprocessing="
          + preprocessing
          + "]";
    }
  }

  /** An uninitialised SSD7 network. */
  public static SsdModel build(Config config) {
    List<PredictorSpec> predictors = new ArrayList<>(PREDICTOR_LAYERS);
    int[] boxes = config.boxesPerCell();
    for (int i = 0; i < PREDICTOR_LAYERS; i++) {
      int layer = i + 4; // the reference numbers heads after their source block, conv4..conv7
      predictors.add(new PredictorSpec("classes" + layer, "boxes" + layer, boxes[i]));
    }
    return new SsdModel(
        config.preprocessing(), new Ssd7Base(), new SsdHeads(predictors, config.positiveClasses()));
  }

  /**
   * An SSD7 network with freshly initialised weights (He-normal kernels, zero biases) living in
   * {@code manager}, sized for {@code imageHeight x imageWidth} inputs. Being fully convolutional
   * it also accepts other input sizes of at least 64x64.
   */
  public static SsdModel create(NDManager manager, Config config, int imageHeight, int imageWidth) {
    SsdModel model = build(config);
    model.featureMapShapes(imageHeight, imageWidth); // fails early with a clear message
    model.initialize(
        manager,
        DataType.FLOAT32,
        new Shape(1, InputPreprocessing.CHANNELS, imageHeight, imageWidth));
    return model;
  }
}
