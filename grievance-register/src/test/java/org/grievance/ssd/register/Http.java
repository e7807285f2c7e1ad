package org.grievance.ssd.register;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A small HTTP client for the API tests: JSON, raw bodies and multipart forms. */
final class Http {
  private final HttpClient client;
  private final String base;

  Http(int port) {
    this("http://127.0.0.1:" + port, HttpClient.newHttpClient());
  }

  /** A client of {@code base} ({@code https://127.0.0.1:8443}) through {@code client}. */
  Http(String base, HttpClient client) {
    this.base = base;
    this.client = client;
  }

  /** A response with its body as bytes and, when JSON, parsed. */
  record Response(int status, HttpResponse<byte[]> raw) {
    JsonNode json() {
      try {
        return ApiJson.MAPPER.readTree(raw.body());
      } catch (IOException e) {
        throw new AssertionError(
            "not JSON (" + status + "): " + new String(raw.body(), StandardCharsets.UTF_8), e);
      }
    }

    byte[] bytes() {
      return raw.body();
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + new String(raw.body(), StandardCharsets.UTF_8);
    }
  }

  Response send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Response(r.statusCode(), r);
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path));
  }

  Response get(String path) throws IOException, InterruptedException {
    return send(request(path).GET());
  }

  Response get(String path, String token) throws IOException, InterruptedException {
    return send(request(path).header("Authorization", "Bearer " + token).GET());
  }

  Response postRaw(String path, byte[] body, String type) throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  Response patch(String path, String token, String json) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        request(path)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b);
  }

  /** A JSON PUT; {@code token} and {@code ifMatch} are left out when null. */
  Response put(String path, String token, String json, String ifMatch)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (ifMatch != null) {
      b.header("If-Match", ifMatch);
    }
    return send(b);
  }

  Response postMultipart(String path, Multipart form) throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", "multipart/form-data; boundary=" + form.boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(form.body())));
  }

  /** A multipart/form-data body built field by field. */
  static final class Multipart {
    final String boundary = "----b" + UUID.randomUUID();
    private final Map<String, Object[]> parts = new LinkedHashMap<>();

    Multipart field(String name, String value) {
      parts.put(name, new Object[] {value.getBytes(StandardCharsets.UTF_8), null, null});
      return this;
    }

    Multipart file(String name, String filename, String type, byte[] bytes) {
      parts.put(name, new Object[] {bytes, filename, type});
      return this;
    }

    byte[] body() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (Map.Entry<String, Object[]> e : parts.entrySet()) {
        Object[] p = e.getValue();
        StringBuilder h = new StringBuilder("--" + boundary + "\r\n");
        h.append("Content-Disposition: form-data; name=\"").append(e.getKey()).append('"');
        if (p[1] != null) {
          h.append("; filename=\"").append(p[1]).append('"');
        }
        h.append("\r\n");
        if (p[2] != null) {
          h.append("Content-Type: ").append(p[2]).append("\r\n");
        }
        h.append("\r\n");
        out.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes((byte[]) p[0]);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
      }
      out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      return out.toByteArray();
    }
  }
}
