package org.grievance.ssd.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

class ThreadSettingsTest {
  @Test
  void threadSettingChangesPytorchIntraOpThreads() {
    Engine engine = Engine.getInstance();
    int original = ThreadSettings.current(engine);
    try {
      assertThat(ThreadSettings.apply(engine, 1)).isTrue();
      assertThat(ThreadSettings.current(engine)).isEqualTo(1);
    } finally {
      ThreadSettings.apply(engine, original);
    }
    assertThatThrownBy(() -> ThreadSettings.apply(engine, 0)).hasMessageContaining("got 0");
  }
}
