package org.grievance.ssd;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EngineSmokeTest {
  @Test
  void pytorchEngineLoadsOfflineAndComputes() {
    assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new float[] {1f, 2f, 3f});
      assertThat(a.mul(2).sum().getFloat()).isEqualTo(12f);
    }
  }
}
