package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request that gives up on its detection (timeout, 503) while the worker is still decoding must
 * not hand the image's memory back early: the worker keeps it in the budget until it ends.
 */
class AbandonedDetectionTest {
  static final long BUDGET = 1L << 30;

  @TempDir Path tmp;

  @Test
  void aTimedOutDetectionKeepsItsMemoryUntilTheWorkerEnds() throws Exception {
    try (RegisterServer server =
        RegisterServer.start(
            RegisterConfig.builder(TestModels.create(tmp.resolve("run")))
                .port(0)
                .dataDir(tmp.resolve("data"))
                .workers(1)
                .maxUploadBytes(50_000_000)
                .memoryBudgetBytes(BUDGET)
                .detectTimeout(Duration.ofMillis(300))
                .build())) {
      // 9 MP of noise: decoding, detecting and painting take seconds, far over the 300 ms.
      byte[] png = MemoryTest.noisePng(3000, 3000, 1);
      Http.Response r =
          new Http(server.port()).postRaw("/api/detect?annotated=true", png, "image/png");
      Assumptions.assumeTrue(r.status() == 503, "the detection finished within 300 ms");
      assertThat(server.memory().availableBytes())
          .as("the running detection still holds its pixels")
          .isLessThanOrEqualTo(BUDGET - 3000L * 3000 * MemoryBudget.BYTES_PER_PIXEL);
      for (int i = 0; i < 240 && server.memory().availableBytes() < BUDGET; i++) {
        Thread.sleep(250);
      }
      assertThat(server.memory().availableBytes()).as("given back when it ends").isEqualTo(BUDGET);
    }
  }
}
