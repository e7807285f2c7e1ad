package org.grievance.ssd.register;

import java.net.URI;
import java.nio.file.Path;

/**
 * One replica of the register as a separate process for {@link ReplicasTest}: {@code MODEL_DIR
 * DATA_DIR JDBC_URL PHOTOS [S3_ENDPOINT]}, where PHOTOS is a shared folder or {@code
 * s3://BUCKET/PREFIX} (credentials from the environment, as for {@code ssd serve}).
 */
public final class ReplicaTestServer {
  private ReplicaTestServer() {}

  public static void main(String[] args) throws Exception {
    URI endpoint = args.length > 4 ? URI.create(args[4]) : null;
    RegisterServer server =
        RegisterServer.start(
            RegisterConfig.builder(Path.of(args[0]))
                .host("127.0.0.1")
                .port(0)
                .dataDir(Path.of(args[1]))
                .jdbcUrl(args[2])
                .photos(PhotoLocation.parse(args[3], endpoint, null, null))
                .tagThreshold(0.0)
                .workers(1)
                .queueCapacity(64)
                .build());
    System.out.println("listening on port " + server.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
