package org.grievance.ssd.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Servers started in a child JVM by tests (crash and operations tests): they print {@code listening
 * on port N} once they accept requests.
 */
public final class ServerProcesses {
  /** The line a server prints when it is ready, followed by its port. */
  public static final String READY = "listening on port ";

  private ServerProcesses() {}

  /**
   * Reads {@code process}'s output (stderr merged into it) until the ready line and returns the
   * port; the rest of the output is drained on a daemon thread so the child never blocks on a full
   * pipe. If the output ends first, the process is killed and the exception carries what it
   * printed.
   */
  public static int awaitPort(Process process) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder log = new StringBuilder();
    int port = -1;
    for (String line; (line = out.readLine()) != null; ) {
      log.append(line).append('\n');
      if (line.startsWith(READY)) {
        port = Integer.parseInt(line.substring(READY.length()).strip());
        break;
      }
    }
    if (port < 0) {
      process.destroyForcibly();
      throw new IOException("the server did not start:\n" + log);
    }
    Thread drain =
        new Thread(
            () -> {
              try {
                out.transferTo(Writer.nullWriter());
              } catch (IOException e) {
                // the process is gone; nothing left to drain
              }
            });
    drain.setDaemon(true);
    drain.start();
    return port;
  }
}
