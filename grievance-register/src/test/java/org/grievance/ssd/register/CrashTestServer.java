package org.grievance.ssd.register;

import java.nio.file.Path;

/** The service as a separate process for {@link CrashTest}: {@code MODEL_DIR DATA_DIR}. */
public final class CrashTestServer {
  private CrashTestServer() {}

  public static void main(String[] args) throws Exception {
    RegisterServer server =
        RegisterServer.start(
            RegisterConfig.builder(Path.of(args[0]))
                .host("127.0.0.1")
                .port(0)
                .dataDir(Path.of(args[1]))
                .tagThreshold(0.0)
                .workers(2)
                .queueCapacity(64)
                .build());
    System.out.println("listening on port " + server.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
