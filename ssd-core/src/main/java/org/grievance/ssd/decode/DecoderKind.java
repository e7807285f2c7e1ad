package org.grievance.ssd.decode;

import java.util.Locale;

/**
 * The two detection decoders by name, so that configurations (model descriptions, command-line
 * options) can pick one: {@code per-class} is {@link PerClassNmsDecoder} (the reference's {@code
 * decode_detections}), {@code fast} is {@link GlobalNmsDecoder} ({@code decode_detections_fast}).
 */
public enum DecoderKind {
  PER_CLASS("per-class"),
  FAST("fast");

  private final String label;

  DecoderKind(String label) {
    this.label = label;
  }

  /** The lower-case name used in files and on the command line. */
  public String label() {
    return label;
  }

  /** A decoder of this kind. */
  public DetectionDecoder create(double[] anchors, double[] variances, DecoderConfig config) {
    return switch (this) {
      case PER_CLASS -> new PerClassNmsDecoder(anchors, variances, config);
      case FAST -> new GlobalNmsDecoder(anchors, variances, config);
    };
  }

  /** Parses {@code per-class} or {@code fast} (case and {@code _}/{@code -} insensitive). */
  public static DecoderKind parse(String name) {
    if (name != null) {
      String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (DecoderKind k : values()) {
        if (k.label.equals(n)) {
          return k;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown decoder '" + name + "': expected per-class or fast");
  }

  @Override
  public String toString() {
    return label;
  }
}
