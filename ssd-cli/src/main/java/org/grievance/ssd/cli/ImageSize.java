package org.grievance.ssd.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An image size given on the command line as {@code HxW} (height first, as everywhere here). */
record ImageSize(int height, int width) {

  @Override
  public String toString() {
    return height + "x" + width;
  }

  /** Parses {@code 300x480}; picocli reports the message on bad input. */
  static final class Converter implements ITypeConverter<ImageSize> {
    @Override
    public ImageSize convert(String value) {
      String[] parts = value.trim().toLowerCase(java.util.Locale.ROOT).split("x");
      try {
        if (parts.length == 2) {
          int h = Integer.parseInt(parts[0].trim());
          int w = Integer.parseInt(parts[1].trim());
          if (h > 0 && w > 0) {
            return new ImageSize(h, w);
          }
        }
      } catch (NumberFormatException e) {
        // fall through to the message below
      }
      throw new TypeConversionException(
          "'"
              + value
              + "' is not an image size: expected HxW with positive integers, e.g. 300x480");
    }
  }
}
