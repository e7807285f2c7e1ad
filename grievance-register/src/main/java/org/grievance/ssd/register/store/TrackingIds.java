package org.grievance.ssd.register.store;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Tracking ids: the names citizens and the public use for a grievance, where officials use the
 * numeric id. 128 random bits written as 26 lower-case base32 characters ({@code a-z2-7}), so they
 * reveal neither how many grievances there are nor which came before, and cannot be guessed; no
 * tracking id can be mistaken for a numeric id.
 */
public final class TrackingIds {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final Pattern FORM = Pattern.compile("[a-z2-7]{26}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Characters of a tracking id: 128 bits at 5 per character. */
  public static final int LENGTH = 26;

  private TrackingIds() {}

  /** A new random tracking id. */
  public static String next() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    StringBuilder out = new StringBuilder(LENGTH);
    int buffer = 0;
    int held = 0;
    for (byte b : bits) {
      buffer = (buffer << 8) | (b & 0xff);
      held += 8;
      while (held >= 5) {
        out.append(ALPHABET[(buffer >>> (held - 5)) & 31]);
        held -= 5;
      }
    }
    out.append(ALPHABET[(buffer << (5 - held)) & 31]);
    return out.toString();
  }

  /** Whether {@code text} has the form of a tracking id (it may still name no grievance). */
  public static boolean isTrackingId(String text) {
    return text != null && FORM.matcher(text).matches();
  }
}
