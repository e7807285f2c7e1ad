package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow-upload abuse: 300 clients that announce an upload and then send it a byte at a time. They
 * must not tie up the server's threads: the health check still answers within a few seconds (a
 * generous bound on behaviour, not a timing measurement).
 */
class SlowUploadTest {
  static final int CLIENTS = 300;

  @TempDir Path tmp;

  @Test
  void tricklingClientsDoNotStarveOtherRequests() throws Exception {
    RegisterConfig config =
        RegisterConfig.builder(TestModels.create(tmp.resolve("run")))
            .port(0)
            .dataDir(tmp.resolve("data"))
            .workers(1)
            .build();
    List<Socket> sockets = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    try (RegisterServer server = RegisterServer.start(config)) {
      String head =
          "POST /api/grievances HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Content-Type: multipart/form-data; boundary=slow\r\n"
              + "Content-Length: 200000\r\n\r\n--slow\r\n";
      for (int i = 0; i < CLIENTS; i++) {
        Socket s = new Socket("127.0.0.1", server.port());
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        sockets.add(s);
      }
      Thread trickle =
          new Thread(
              () -> {
                while (!stop.get()) {
                  for (Socket s : sockets) {
                    try {
                      OutputStream out = s.getOutputStream();
                      out.write('x');
                      out.flush();
                    } catch (IOException e) {
                      // the server cut this client off: what it should do
                    }
                  }
                  try {
                    Thread.sleep(1000);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "trickle");
      trickle.setDaemon(true);
      trickle.start();
      Thread.sleep(3000);

      Http http = new Http(server.port());
      HttpResponse<byte[]> health =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(
                  http.request("/api/health").timeout(Duration.ofSeconds(5)).GET().build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertThat(health.statusCode()).isEqualTo(200);
      stop.set(true);
      trickle.interrupt();
      trickle.join(5000);
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
