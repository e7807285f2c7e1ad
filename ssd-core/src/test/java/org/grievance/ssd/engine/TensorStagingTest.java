package org.grievance.ssd.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class TensorStagingTest {
  @Test
  void stagesValuesAndReusesTheSlotOnceTheArrayIsClosed() {
    TensorStaging staging = new TensorStaging(2);
    try (NDManager root = NDManager.newBaseManager()) {
      try (NDManager step = root.newSubManager()) {
        NDArray a = staging.floats(0, step, new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
        NDArray ids = staging.ints(1, step, new int[] {-1, 0, 7}, new Shape(3));
        assertThat(a.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(a.getShape()).isEqualTo(new Shape(2, 3));
        assertThat(a.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(a.sum().getFloat()).isEqualTo(21f);
        assertThat(ids.getDataType()).isEqualTo(DataType.INT32);
        assertThat(ids.toIntArray()).containsExactly(-1, 0, 7);
      }
      try (NDManager step = root.newSubManager()) {
        // Smaller data in the same slot: only the staged values count.
        NDArray b = staging.floats(0, step, new float[] {9, 8}, new Shape(2));
        assertThat(b.toFloatArray()).containsExactly(9, 8);
        // Larger data grows the slot.
        float[] big = new float[1000];
        big[999] = 3;
        NDArray c = staging.floats(1, step, big, new Shape(10, 100));
        assertThat(c.sum().getFloat()).isEqualTo(3f);
      }
    }
  }

  @Test
  void rejectsAShapeThatDoesNotHoldTheData() {
    TensorStaging staging = new TensorStaging(1);
    try (NDManager m = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> staging.floats(0, m, new float[5], new Shape(2, 3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("(2, 3)")
          .hasMessageContaining("data 5");
    }
    assertThatThrownBy(() -> new TensorStaging(0)).hasMessageContaining("slots must be >= 1");
  }
}
