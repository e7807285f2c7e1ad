package org.grievance.ssd.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a Keras HDF5 file, read as Keras' own {@code load_weights} reads them: the layer
 * list comes from the {@code layer_names} attribute (of the root for {@code save_weights} files, of
 * the {@code model_weights} group for a full {@code model.save}), and each layer's tensors are the
 * datasets its {@code weight_names} attribute lists, resolved relative to the layer's group and
 * taken <em>by position</em>: writers name datasets differently ({@code kernel:0}, {@code
 * weights_0:0}, {@code conv4_3_norm_gamma:0}), so names are never interpreted. Weightless layers
 * carry an empty {@code weight_names}; an {@code optimizer_weights} group is ignored.
 *
 * <p>String attributes may be fixed-length byte strings (Keras) or variable-length strings
 * (converters, newer h5py), and long ones may be split into {@code name0, name1, …} (Keras' object
 * header limit).
 */
public final class KerasH5Weights {
  /** Where the weights sat in the file. */
  public enum Layout {
    /** {@code model.save()}: weights in the {@code model_weights} group. */
    FULL_MODEL,
    /** {@code model.save_weights()} or a converter: layer groups at the root. */
    WEIGHTS_ONLY
  }

  private final String source;
  private final Layout layout;
  private final Map<String, List<KerasTensor>> layers;

  private KerasH5Weights(String source, Layout layout, Map<String, List<KerasTensor>> layers) {
    this.source = source;
    this.layout = layout;
    this.layers = layers;
  }

  /**
   * Weights held in memory, as a {@code save_weights} file with these layers (in map order) would
   * give them; {@code source} names them in messages.
   */
  public static KerasH5Weights of(String source, Map<String, List<KerasTensor>> layers) {
    Map<String, List<KerasTensor>> copy = new LinkedHashMap<>();
    layers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return new KerasH5Weights(source, Layout.WEIGHTS_ONLY, Collections.unmodifiableMap(copy));
  }

  /**
   * Reads every layer's tensors.
   *
   * @throws NoSuchFileException if {@code file} does not exist
   * @throws IOException naming the file and the layer when it is not a Keras weights file or a
   *     listed dataset is missing or not numeric
   */
  public static KerasH5Weights read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such Keras weights file");
    }
    try (HdfFile hdf = new HdfFile(file)) {
      Group root = hdf;
      Layout layout = Layout.WEIGHTS_ONLY;
      Node modelWeights = root.getChildren().get("model_weights");
      if (modelWeights instanceof Group g) {
        root = g;
        layout = Layout.FULL_MODEL;
      }
      List<String> names = strings(root, "layer_names");
      if (names == null) {
        throw new IOException(
            file
                + " is not a Keras weights file: neither the root nor a model_weights group has a"
                + " layer_names attribute");
      }
      Map<String, List<KerasTensor>> layers = new LinkedHashMap<>();
      for (String layer : names) {
        Node node = root.getChildren().get(layer);
        if (!(node instanceof Group group)) {
          throw new IOException(
              file + ": layer_names lists '" + layer + "' but there is no group of that name");
        }
        List<String> weightNames = strings(group, "weight_names");
        List<KerasTensor> tensors = new ArrayList<>();
        for (String weightName : weightNames == null ? List.<String>of() : weightNames) {
          tensors.add(tensor(file, layer, group, weightName));
        }
        layers.put(layer, List.copyOf(tensors));
      }
      return new KerasH5Weights(file.toString(), layout, Collections.unmodifiableMap(layers));
    } catch (HdfException e) {
      throw new IOException(file + " cannot be read as HDF5: " + e.getMessage(), e);
    }
  }

  private static KerasTensor tensor(Path file, String layer, Group group, String weightName)
      throws IOException {
    Node node;
    try {
      node = group.getByPath(weightName);
    } catch (HdfException e) {
      node = null;
    }
    if (!(node instanceof Dataset dataset)) {
      throw new IOException(
          file
              + ": layer '"
              + layer
              + "' lists weight '"
              + weightName
              + "' but its group has no such dataset");
    }
    Object flat = dataset.isScalar() ? dataset.getData() : dataset.getDataFlat();
    float[] values;
    if (flat instanceof float[] f) {
      values = f;
    } else if (flat instanceof double[] d) {
      values = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        values[i] = (float) d[i];
      }
    } else if (flat instanceof Float f) {
      values = new float[] {f};
    } else if (flat instanceof Double d) {
      values = new float[] {d.floatValue()};
    } else {
      throw new IOException(
          file
              + ": weight '"
              + weightName
              + "' of layer '"
              + layer
              + "' is not a float dataset ("
              + dataset.getJavaType()
              + ")");
    }
    return new KerasTensor(weightName, dataset.getDimensions(), values);
  }

  /**
   * A string-list attribute, joined from {@code name0, name1, …} when Keras split it; {@code null}
   * when absent; empty for an empty (possibly non-string) attribute.
   */
  static List<String> strings(Node node, String name) throws IOException {
    Map<String, Attribute> attributes = node.getAttributes();
    if (attributes.containsKey(name)) {
      return stringList(node, name, attributes.get(name));
    }
    if (!attributes.containsKey(name + "0")) {
      return null;
    }
    List<String> joined = new ArrayList<>();
    for (int chunk = 0; attributes.containsKey(name + chunk); chunk++) {
      joined.addAll(stringList(node, name + chunk, attributes.get(name + chunk)));
    }
    return joined;
  }

  private static List<String> stringList(Node node, String name, Attribute attribute)
      throws IOException {
    if (attribute.isEmpty() || attribute.getSize() == 0) {
      return List.of();
    }
    Object data = attribute.getData();
    List<String> out = new ArrayList<>();
    if (data instanceof String s) {
      out.add(s);
    } else if (data != null && data.getClass().isArray()) {
      int n = Array.getLength(data);
      for (int i = 0; i < n; i++) {
        Object item = Array.get(data, i);
        if (!(item instanceof String s)) {
          if (n == 0) {
            break;
          }
          throw new IOException(
              node.getPath() + " attribute " + name + " is not a list of strings: " + item);
        }
        out.add(s);
      }
    } else {
      throw new IOException(node.getPath() + " attribute " + name + " is not a list of strings");
    }
    return out;
  }

  /** The file (or in-memory source) the weights came from, for messages. */
  public String source() {
    return source;
  }

  public Layout layout() {
    return layout;
  }

  /** Every layer of {@code layer_names}, weightless ones included, in file order. */
  public List<String> layerNames() {
    return List.copyOf(layers.keySet());
  }

  /** The layers that carry at least one tensor, in file order. */
  public List<String> weightedLayerNames() {
    return layers.entrySet().stream()
        .filter(e -> !e.getValue().isEmpty())
        .map(Map.Entry::getKey)
        .toList();
  }

  /** The tensors of {@code layer} in {@code weight_names} order; empty if absent or weightless. */
  public List<KerasTensor> tensors(String layer) {
    return layers.getOrDefault(layer, List.of());
  }

  /** Whether the file lists {@code layer}. */
  public boolean hasLayer(String layer) {
    return layers.containsKey(layer);
  }

  /** Total number of weight values. */
  public long valueCount() {
    long n = 0;
    for (List<KerasTensor> ts : layers.values()) {
      for (KerasTensor t : ts) {
        n += t.values().length;
      }
    }
    return n;
  }
}
