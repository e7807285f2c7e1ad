package org.grievance.ssd.register;

import java.util.Map;

/**
 * A request the service refuses, with the HTTP status, a message for the client, headers, and
 * fields the client can act on added to the JSON error body (e.g. the accepted image formats of a
 * 415).
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Map<String, String> headers;
  private final transient Map<String, Object> details;

  public ApiException(int status, String message) {
    this(status, message, Map.of());
  }

  public ApiException(int status, String message, Map<String, String> headers) {
    this(status, message, headers, Map.of());
  }

  /** {@code details}: fields added to the error body after {@code status} and {@code error}. */
  public ApiException(
      int status, String message, Map<String, String> headers, Map<String, Object> details) {
    super(message);
    this.status = status;
    this.headers = Map.copyOf(headers);
    this.details = Map.copyOf(details);
    if (this.details.containsKey("status") || this.details.containsKey("error")) {
      throw new IllegalArgumentException("details must not replace 'status' or 'error'");
    }
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public Map<String, Object> details() {
    return details;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }
}
