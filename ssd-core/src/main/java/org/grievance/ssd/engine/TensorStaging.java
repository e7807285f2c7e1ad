package org.grievance.ssd.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Turns host arrays into NDArrays through direct buffers it keeps and reuses, one per slot.
 *
 * <p>Why: {@code NDManager.create(float[])} copies into a fresh direct buffer that the tensor then
 * points into, and that memory returns only when the garbage collector happens to collect the
 * buffer object. A training step stages megabytes (the image batch and its targets), so resident
 * memory crept up by hundreds of megabytes between collections. Here a tensor points into a slot's
 * buffer: the array staged into a slot must be closed (usually with the step's manager) before the
 * slot is staged again. Not thread-safe: one instance per training loop.
 */
public final class TensorStaging {
  private final ByteBuffer[] slots;

  /** Staging with {@code slots} independent buffers, allocated on first use. */
  public TensorStaging(int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be >= 1, got " + slots);
    }
    this.slots = new ByteBuffer[slots];
  }

  /**
   * {@code data} as a FLOAT32 array of {@code shape} in {@code manager}, through slot {@code slot}.
   */
  public NDArray floats(int slot, NDManager manager, float[] data, Shape shape) {
    ByteBuffer buf = buffer(slot, data.length, shape, Float.BYTES);
    buf.asFloatBuffer().put(data);
    return manager.create(buf, shape, DataType.FLOAT32);
  }

  /**
   * {@code data} as an INT32 array of {@code shape} in {@code manager}, through slot {@code slot}.
   */
  public NDArray ints(int slot, NDManager manager, int[] data, Shape shape) {
    ByteBuffer buf = buffer(slot, data.length, shape, Integer.BYTES);
    buf.asIntBuffer().put(data);
    return manager.create(buf, shape, DataType.INT32);
  }

  private ByteBuffer buffer(int slot, int length, Shape shape, int elementBytes) {
    if (shape.size() != length) {
      throw new IllegalArgumentException(
          "shape " + shape + " holds " + shape.size() + " values, the data " + length);
    }
    int bytes = Math.multiplyExact(length, elementBytes);
    ByteBuffer buf = slots[slot];
    if (buf == null || buf.capacity() < bytes) {
      buf = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
      slots[slot] = buf;
    }
    buf.clear().limit(bytes);
    return buf.slice().order(ByteOrder.nativeOrder());
  }
}
