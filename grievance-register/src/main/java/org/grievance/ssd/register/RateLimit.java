package org.grievance.ssd.register;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * At most {@code requests} requests per {@code period} from one client, as a token bucket: a client
 * may spend the whole allowance at once and then gets it back gradually over the period.
 *
 * @param requests requests per period, at least 1
 * @param period the period, at least one second
 */
public record RateLimit(int requests, Duration period) {
  private static final Pattern TEXT =
      Pattern.compile("(\\d{1,9})\\s*/\\s*(s|sec|second|min|minute|h|hour|d|day)");

  /** Validates the fields. */
  public RateLimit {
    if (requests < 1) {
      throw new IllegalArgumentException("requests must be >= 1, got " + requests);
    }
    if (period == null || period.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("period must be at least 1 s, got " + period);
    }
  }

  /**
   * Parses {@code 30/hour}, {@code 120/min}, {@code 5/s} or {@code 100/day}; {@code off} is {@code
   * null} (no limit).
   */
  public static RateLimit parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("off")) {
      return null;
    }
    Matcher m = TEXT.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "a rate limit is N/second, N/minute, N/hour, N/day or off, got '" + text + "'");
    }
    Duration period =
        switch (m.group(2)) {
          case "s", "sec", "second" -> Duration.ofSeconds(1);
          case "min", "minute" -> Duration.ofMinutes(1);
          case "h", "hour" -> Duration.ofHours(1);
          default -> Duration.ofDays(1);
        };
    return new RateLimit(Integer.parseInt(m.group(1)), period);
  }

  /** The period in words: "minute", "hour", or seconds. */
  public String periodName() {
    long s = period.toSeconds();
    if (s == 1) {
      return "second";
    }
    if (s == 60) {
      return "minute";
    }
    if (s == 3600) {
      return "hour";
    }
    if (s == 86400) {
      return "day";
    }
    return s + " s";
  }

  /** {@code 30/hour}: the form {@link #parse} reads. */
  public String describe() {
    return requests + "/" + periodName();
  }
}
