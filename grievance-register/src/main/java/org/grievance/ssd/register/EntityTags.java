package org.grievance.ssd.register;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entity tags (RFC 9110 §8.8.3) of JSON answers: a strong tag from the SHA-256 of the exact bytes
 * sent, so it changes whenever anything shown changes (a status, a new possible duplicate, a report
 * merged in) and the public and the officials' view of one grievance never share a tag (Javalin
 * answers a matching {@code If-None-Match} with 304, which must not hand one the other's body).
 */
final class EntityTags {
  /** One entity tag of a list: optional weak prefix, then a quoted opaque string. */
  private static final Pattern TAG = Pattern.compile("\\s*(W/)?\"([^\"]*)\"\\s*(,|$)");

  private EntityTags() {}

  /** {@code value} as the JSON bytes the service sends. */
  static byte[] json(Object value) {
    try {
      return ApiJson.MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /** The strong entity tag of {@code body}: 128 bits of its SHA-256, quoted. */
  static String of(byte[] body) {
    return "\"" + PhotoStore.sha256(body).substring(0, 32) + "\"";
  }

  /** The entity tag of {@code value} sent as JSON. */
  static String ofJson(Object value) {
    return of(json(value));
  }

  /**
   * The entity tags {@code If-Match} allows, or null when it allows any: the header is absent (the
   * precondition is optional, see docs/register.md) or {@code *}. Weak tags never match: RFC 9110
   * compares strongly for If-Match. A header that is not a list of tags is 400.
   */
  static Predicate<String> ifMatch(String header) {
    if (header == null || header.strip().equals("*")) {
      return null;
    }
    String h = header.strip();
    Set<String> strong = new HashSet<>();
    Matcher m = TAG.matcher(h);
    int at = 0;
    while (at < h.length() && m.find(at) && m.start() == at) {
      if (m.group(1) == null) {
        strong.add("\"" + m.group(2) + "\"");
      }
      at = m.end();
      if (m.group(3).isEmpty()) {
        break;
      }
    }
    if (h.isEmpty() || at != h.length() || h.endsWith(",")) {
      throw ApiException.badRequest(
          "If-Match must be * or entity tags in double quotes, as sent in ETag");
    }
    return strong::contains;
  }
}
