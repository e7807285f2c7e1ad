package org.grievance.ssd.register;

import java.util.HashSet;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entity tags of grievances (RFC 9110 §8.8.3): the strong tag {@code "7"} names version 7 of a
 * grievance, which every change to it advances. {@code If-Match} on a change names the versions it
 * may apply to.
 */
final class EntityTags {
  /** One entity tag of a list: optional weak prefix, then a quoted opaque string. */
  private static final Pattern TAG = Pattern.compile("\\s*(W/)?\"([^\"]*)\"\\s*(,|$)");

  private EntityTags() {}

  /** The entity tag of {@code version}. */
  static String of(long version) {
    return "\"" + version + "\"";
  }

  /**
   * The versions {@code If-Match} allows: any when the header is absent (the precondition is
   * optional, see docs/register.md) or {@code *}; else those whose strong tag is listed (weak tags
   * never match: RFC 9110 compares strongly for If-Match). A header that is not a tag list is 400.
   */
  static LongPredicate ifMatch(String header) {
    if (header == null) {
      return v -> true;
    }
    String h = header.strip();
    if (h.equals("*")) {
      return v -> true;
    }
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
          "If-Match must be * or entity tags in double quotes such as \"3\", as sent in ETag");
    }
    return v -> strong.contains(of(v));
  }
}
