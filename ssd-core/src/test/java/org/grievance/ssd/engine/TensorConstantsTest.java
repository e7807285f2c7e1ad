package org.grievance.ssd.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class TensorConstantsTest {
  private static final float SENTINEL = 1e9f;

  @Test
  void aScalarLikeAnArrayHasItsTypeAndValue() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new double[] {1, 2});
      NDArray c = TensorConstants.scalarLike(x, 0.1);
      assertThat(c.getShape()).isEqualTo(new Shape());
      assertThat(c.getDataType()).isEqualTo(DataType.FLOAT64);
      assertThat(c.getDouble()).as("exact in double precision").isEqualTo(0.1);
      assertThat(x.mul(c).toDoubleArray()).containsExactly(0.1, 0.2);
      NDArray f = TensorConstants.scalarLike(m.create(new float[] {1}), 0.1);
      assertThat(f.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(f.getFloat()).isEqualTo(0.1f);
    }
  }

  /**
   * The constant's wrapper is closed and collected before the backward pass, and small native
   * blocks are then allocated and filled with a sentinel, as the rest of a training step would: the
   * gradient must still be the constant. (With DJL's {@code x.mul(0.5)} it becomes the sentinel
   * once the freed block is handed out again; {@code -Dssd.test.djlScalar=true} runs that variant.)
   */
  @Test
  void theGradientStillSeesTheConstantAfterItsWrapperIsGone() throws InterruptedException {
    BiFunction<NDArray, Float, NDArray> times =
        Boolean.getBoolean("ssd.test.djlScalar")
            ? (x, v) -> x.mul(v)
            : (x, v) -> TensorConstants.times(x, v);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1, 2, 3});
      x.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = times.apply(x, 0.5f).sum();
        List<ByteBuffer> reused = churnSmallNativeBlocks();
        collector.backward(y);
        assertThat(reused).isNotEmpty();
      }
      assertThat(x.getGradient().toFloatArray()).containsExactly(0.5f, 0.5f, 0.5f);
    }
  }

  /**
   * Collects garbage, lets the cleaner free what it found, then takes small blocks and marks them.
   */
  private static List<ByteBuffer> churnSmallNativeBlocks() throws InterruptedException {
    List<ByteBuffer> kept = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      System.gc();
      Thread.sleep(50);
      for (int i = 0; i < 64; i++) {
        ByteBuffer b = ByteBuffer.allocateDirect(Float.BYTES).order(ByteOrder.nativeOrder());
        b.putFloat(0, SENTINEL);
        kept.add(b);
      }
    }
    return kept;
  }
}
