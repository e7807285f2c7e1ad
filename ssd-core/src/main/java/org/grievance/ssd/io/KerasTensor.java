package org.grievance.ssd.io;

import java.util.Arrays;

/**
 * One weight tensor of a Keras {@code .h5} file, in the file's layout (convolution kernels {@code
 * (kh, kw, in, out)}), values flattened in C order.
 *
 * @param name the entry of the layer's {@code weight_names} attribute it came from
 * @param shape the dataset's dimensions
 * @param values {@code product(shape)} values
 */
public record KerasTensor(String name, int[] shape, float[] values) {
  public KerasTensor {
    if (name == null || shape == null || values == null) {
      throw new IllegalArgumentException("name, shape and values must be given");
    }
    long size = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(name + ": negative dimension in " + shapeText(shape));
      }
      size *= d;
    }
    if (size != values.length) {
      throw new IllegalArgumentException(
          name
              + ": shape "
              + shapeText(shape)
              + " needs "
              + size
              + " values, got "
              + values.length);
    }
    shape = shape.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** The values themselves (not copied: tensors can be large). */
  @Override
  public float[] values() {
    return values;
  }

  /** {@code (3, 3, 512, 84)}. */
  public String shapeText() {
    return shapeText(shape);
  }

  static String shapeText(int[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(shape.length == 1 ? ",)" : ")").toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KerasTensor t
        && t.name.equals(name)
        && Arrays.equals(t.shape, shape)
        && Arrays.equals(t.values, values);
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "KerasTensor[" + name + " " + shapeText() + "]";
  }
}
