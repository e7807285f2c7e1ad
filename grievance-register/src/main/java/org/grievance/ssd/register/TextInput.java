package org.grievance.ssd.register;

/**
 * Free text from a request (description, contact, comment, a filter), checked before it goes
 * anywhere: what both databases store as it is and what a reader can see. PostgreSQL refuses NUL in
 * text (and would answer a server error), other control characters garble pages and logs, an
 * unpaired surrogate is not text at all, and a description of only zero-width characters is blank
 * to every reader although {@link String#isBlank} says otherwise.
 */
final class TextInput {
  private TextInput() {}

  /** {@code value} stripped; refused when absent or empty, otherwise as {@link #optional}. */
  static String required(String value, String field, int maxLength) {
    String v = optional(value, field, maxLength);
    if (v == null) {
      throw ApiException.badRequest(field + " is required");
    }
    return v;
  }

  /**
   * {@code value} stripped of surrounding white space, null when that leaves nothing. Refused
   * (400): control characters other than tab and line breaks, unpaired surrogates, text with no
   * visible character, more than {@code maxLength} characters.
   */
  static String optional(String value, String field, int maxLength) {
    if (value == null) {
      return null;
    }
    String v = value.strip();
    if (v.isEmpty()) {
      return null;
    }
    if (v.length() > maxLength) {
      throw ApiException.badRequest(
          field + " has " + v.length() + " characters; the limit is " + maxLength);
    }
    boolean visible = false;
    for (int i = 0; i < v.length(); ) {
      int cp = v.codePointAt(i);
      int type = Character.getType(cp);
      if (type == Character.CONTROL && cp != '\t' && cp != '\n' && cp != '\r') {
        throw ApiException.badRequest(
            String.format(
                "%s contains the control character U+%04X at character %d; only tab and line"
                    + " breaks are allowed",
                field, cp, i + 1));
      }
      if (type == Character.SURROGATE) {
        throw ApiException.badRequest(
            field + " is malformed: an unpaired surrogate at character " + (i + 1));
      }
      visible |= isVisible(cp, type);
      i += Character.charCount(cp);
    }
    if (!visible) {
      throw ApiException.badRequest(
          field + " has no visible characters (only spaces or invisible ones such as U+200B)");
    }
    return v;
  }

  /**
   * Whether a character shows: not white space, a format character (zero-width space and joiners,
   * the byte order mark, soft hyphen), a lone combining mark, or one of the letters that render
   * blank (Hangul fillers, the braille blank).
   */
  private static boolean isVisible(int cp, int type) {
    if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
      return false;
    }
    return switch (type) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK ->
          false;
      default -> cp != 0x115F && cp != 0x1160 && cp != 0x3164 && cp != 0xFFA0 && cp != 0x2800;
    };
  }
}
