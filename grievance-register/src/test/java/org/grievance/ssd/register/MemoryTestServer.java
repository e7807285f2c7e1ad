package org.grievance.ssd.register;

import java.nio.file.Path;

/**
 * The service as a separate process for {@link MemoryTest}, with every memory default taken from
 * its (small) heap: {@code MODEL_DIR DATA_DIR}.
 */
public final class MemoryTestServer {
  private MemoryTestServer() {}

  public static void main(String[] args) throws Exception {
    RegisterConfig config =
        RegisterConfig.builder(Path.of(args[0]))
            .port(0)
            .dataDir(Path.of(args[1]))
            .tagThreshold(0.0)
            .workers(2)
            .build();
    RegisterServer server = RegisterServer.start(config);
    System.out.println(
        "budget "
            + (config.memoryBudgetBytes() >> 20)
            + " MiB of "
            + (Runtime.getRuntime().maxMemory() >> 20)
            + " MiB");
    System.out.println("listening on port " + server.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
