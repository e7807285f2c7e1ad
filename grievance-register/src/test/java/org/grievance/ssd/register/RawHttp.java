package org.grievance.ssd.register;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for requests a real client would never send as written: paths with
 * {@code ..}, bodies that lie about their length, chunked bodies of any size.
 */
final class RawHttp {
  private RawHttp() {}

  /** A response: its status and everything after the status line (headers and body). */
  record Reply(int status, String text) {}

  /**
   * Sends {@code head} (request line and headers, without the blank line) and then {@code body}.
   */
  static Reply send(int port, String head, byte[] body) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write((head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      try {
        if (body != null) {
          out.write(body);
        }
        out.flush();
      } catch (IOException e) {
        // the server may answer and close before reading it all; read what it said
      }
      return read(s.getInputStream());
    }
  }

  static Reply get(int port, String path) throws IOException {
    return send(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n", null);
  }

  static Reply read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        all.write(buf, 0, n);
      }
    } catch (IOException e) {
      // a reset after the answer: keep what arrived
    }
    String text = all.toString(StandardCharsets.ISO_8859_1);
    if (!text.startsWith("HTTP/1.1 ")) {
      throw new IOException("no HTTP answer: '" + text + "'");
    }
    return new Reply(Integer.parseInt(text.substring(9, 12)), text.substring(12));
  }

  /** {@code data} as one HTTP chunk. */
  static byte[] chunk(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(data);
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
}
