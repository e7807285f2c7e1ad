package org.grievance.ssd.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.norm.BatchNorm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grievance.ssd.io.KerasH5Weights;
import org.grievance.ssd.io.KerasTensor;

/**
 * Copies Keras weights into an initialised {@link SsdModel}, matching layers by name as Keras'
 * {@code load_weights(by_name=True)} does, and each layer's tensors by position: convolutions take
 * {@code [kernel, bias]} (kernel {@code (kh, kw, in, out)} transposed to DJL's {@code (out, in, kh,
 * kw)}), {@link L2Normalization} takes {@code [gamma]}, batch normalisation {@code [gamma, beta,
 * moving_mean, moving_variance]}.
 *
 * <p>Loading is partial by design (VGG-16 base weights into SSD300, a COCO model into a model with
 * other heads): layers present on one side only are reported, not errors. A layer present on both
 * sides must fit exactly; every shape is checked before anything is written, so a mismatch leaves
 * the model untouched.
 */
public final class KerasWeightImport {
  private KerasWeightImport() {}

  /**
   * What an import did.
   *
   * @param loaded model layers that received weights, in model order
   * @param skipped weighted layers of the file that the model does not have, in file order
   * @param missing weighted model layers the file has no weights for, in model order
   */
  public record Report(List<String> loaded, List<String> skipped, List<String> missing) {
    public Report {
      loaded = List.copyOf(loaded);
      skipped = List.copyOf(skipped);
      missing = List.copyOf(missing);
    }

    /** A multi-line summary for the console. */
    public String summary() {
      return "loaded "
          + loaded.size()
          + " layers"
          + (loaded.isEmpty() ? "" : ": " + String.join(", ", loaded))
          + "\nskipped "
          + skipped.size()
          + " layers of the file not in the model"
          + (skipped.isEmpty() ? "" : ": " + String.join(", ", skipped))
          + "\nmissing "
          + missing.size()
          + " model layers not in the file (left as initialised)"
          + (missing.isEmpty() ? "" : ": " + String.join(", ", missing));
    }
  }

  /** One parameter to overwrite with already re-laid-out values. */
  private record Assignment(Parameter parameter, float[] values) {}

  /**
   * Loads every layer {@code weights} and {@code model} share.
   *
   * @throws IllegalArgumentException naming the layer and both shapes when a tensor does not fit,
   *     or the layer and counts when a layer has the wrong number of tensors; nothing is written
   *     then
   */
  public static Report load(SsdModel model, KerasH5Weights weights) {
    if (!model.isInitialized()) {
      throw new IllegalStateException("initialize the model before importing weights");
    }
    Map<String, Block> layers = model.layers();
    List<Assignment> assignments = new ArrayList<>();
    List<String> loaded = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Block> e : layers.entrySet()) {
      String name = e.getKey();
      Block block = e.getValue();
      if (block.getParameters().isEmpty()) {
        continue;
      }
      List<KerasTensor> tensors = weights.tensors(name);
      if (tensors.isEmpty()) {
        missing.add(name);
        continue;
      }
      assignments.addAll(plan(weights.source(), name, block, tensors));
      loaded.add(name);
    }
    List<String> skipped = new ArrayList<>();
    for (String name : weights.weightedLayerNames()) {
      Block block = layers.get(name);
      if (block == null || block.getParameters().isEmpty()) {
        skipped.add(name);
      }
    }
    for (Assignment a : assignments) {
      NDArray array = a.parameter().getArray();
      array.set(a.values());
    }
    return new Report(loaded, skipped, missing);
  }

  private static List<Assignment> plan(
      String source, String layer, Block block, List<KerasTensor> tensors) {
    List<Assignment> out = new ArrayList<>();
    if (block instanceof Convolution) {
      requireCount(source, layer, "[kernel, bias]", tensors, 1, 2);
      Parameter weight = block.getParameters().get("weight");
      out.add(new Assignment(weight, kernel(source, layer, tensors.get(0), weight.getShape())));
      boolean hasBias = block.getParameters().contains("bias");
      if (tensors.size() == 2 && hasBias) {
        out.add(vector(source, layer, block, "bias", tensors.get(1)));
      } else if (tensors.size() != (hasBias ? 2 : 1)) {
        throw new IllegalArgumentException(
            source
                + ": layer '"
                + layer
                + "' has "
                + tensors.size()
                + " tensors but the model's convolution "
                + (hasBias ? "has" : "has no")
                + " bias");
      }
    } else if (block instanceof L2Normalization) {
      requireCount(source, layer, "[gamma]", tensors, 1, 1);
      out.add(vector(source, layer, block, "gamma", tensors.get(0)));
    } else if (block instanceof BatchNorm) {
      requireCount(source, layer, "[gamma, beta, moving_mean, moving_variance]", tensors, 4, 4);
      String[] names = {"gamma", "beta", "runningMean", "runningVar"};
      for (int i = 0; i < names.length; i++) {
        out.add(vector(source, layer, block, names[i], tensors.get(i)));
      }
    } else {
      throw new IllegalArgumentException(
          "layer '" + layer + "' is a " + block.getClass().getSimpleName() + ", not importable");
    }
    return out;
  }

  private static void requireCount(
      String source, String layer, String expected, List<KerasTensor> tensors, int min, int max) {
    if (tensors.size() < min || tensors.size() > max) {
      throw new IllegalArgumentException(
          source
              + ": layer '"
              + layer
              + "' has "
              + tensors.size()
              + " tensors "
              + tensors
              + ", expected "
              + expected);
    }
  }

  /** Keras {@code (kh, kw, in, out)} → DJL {@code (out, in, kh, kw)}. */
  private static float[] kernel(String source, String layer, KerasTensor t, Shape model) {
    int[] s = t.shape();
    if (s.length != 4
        || model.dimension() != 4
        || s[3] != model.get(0)
        || s[2] != model.get(1)
        || s[0] != model.get(2)
        || s[1] != model.get(3)) {
      throw mismatch(
          source,
          layer,
          t,
          "("
              + model.get(2)
              + ", "
              + model.get(3)
              + ", "
              + model.get(1)
              + ", "
              + model.get(0)
              + ")");
    }
    return hwioToOihw(t.values(), s[0], s[1], s[2], s[3]);
  }

  /** Re-lays a {@code (kh, kw, in, out)} kernel out as {@code (out, in, kh, kw)}. */
  static float[] hwioToOihw(float[] hwio, int kh, int kw, int in, int out) {
    float[] oihw = new float[hwio.length];
    int src = 0;
    for (int y = 0; y < kh; y++) {
      for (int x = 0; x < kw; x++) {
        for (int i = 0; i < in; i++) {
          int base = (i * kh + y) * kw + x;
          int stride = in * kh * kw;
          for (int o = 0; o < out; o++) {
            oihw[o * stride + base] = hwio[src++];
          }
        }
      }
    }
    return oihw;
  }

  private static Assignment vector(
      String source, String layer, Block block, String parameter, KerasTensor t) {
    Parameter p = block.getParameters().get(parameter);
    Shape model = p.getShape();
    int[] s = t.shape();
    if (s.length != 1 || model.dimension() != 1 || s[0] != model.get(0)) {
      throw mismatch(source, layer, t, "(" + model.get(0) + ",)");
    }
    return new Assignment(p, t.values());
  }

  private static IllegalArgumentException mismatch(
      String source, String layer, KerasTensor t, String modelShape) {
    return new IllegalArgumentException(
        source
            + ": layer '"
            + layer
            + "' weight '"
            + t.name()
            + "' has shape "
            + t.shapeText()
            + " in the file but "
            + modelShape
            + " in the model (Keras layout)");
  }
}
