package org.grievance.ssd.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The image formats a file or an upload is recognised as, from its first bytes (never its name or a
 * declared content type): the five the toolkit reads, and the two that phones produce but that no
 * decoder on the class path reads (HEIF/HEIC from iPhones, AVIF), so that they can be refused with
 * a clear message instead of "not an image".
 */
public enum ImageFormat {
  /** JPEG/JFIF/EXIF, baseline or progressive, RGB, grey or CMYK. */
  JPEG("JPEG", "image/jpeg", "jpg", true),
  /** PNG. */
  PNG("PNG", "image/png", "png", true),
  /** WebP, lossy or lossless (TwelveMonkeys decoder). */
  WEBP("WebP", "image/webp", "webp", true),
  /** Windows bitmap. */
  BMP("BMP", "image/bmp", "bmp", true),
  /** GIF, first frame. */
  GIF("GIF", "image/gif", "gif", true),
  /** HEIF, including HEIC (refused: no decoder). */
  HEIF("HEIC/HEIF", "image/heif", "heic", false),
  /** AVIF (refused: no decoder). */
  AVIF("AVIF", "image/avif", "avif", false);

  /** The accepted formats as a phrase for messages. */
  public static final String ACCEPTED = "JPEG, PNG, WebP, BMP or GIF";

  /** How many leading bytes {@link #sniff(byte[])} looks at, at most. */
  public static final int SNIFF_BYTES = 64;

  /** ISO-BMFF brands of HEIF images (ISO/IEC 23008-12), HEVC-coded or generic. */
  private static final Set<String> HEIF_BRANDS =
      Set.of(
          "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "mif2", "msf1");

  /** ISO-BMFF brands of AVIF images and sequences; AVIF files also list the generic mif1. */
  private static final Set<String> AVIF_BRANDS = Set.of("avif", "avis");

  private final String displayName;
  private final String mediaType;
  private final String extension;
  private final boolean accepted;

  ImageFormat(String displayName, String mediaType, String extension, boolean accepted) {
    this.displayName = displayName;
    this.mediaType = mediaType;
    this.extension = extension;
    this.accepted = accepted;
  }

  /** The name people know the format by ("WebP", "HEIC/HEIF"). */
  public String displayName() {
    return displayName;
  }

  /** The IANA media type, for serving the file. */
  public String mediaType() {
    return mediaType;
  }

  /** The usual file extension, without the dot. */
  public String extension() {
    return extension;
  }

  /** Whether the toolkit decodes it; the others are recognised only to be refused clearly. */
  public boolean accepted() {
    return accepted;
  }

  /**
   * Why a refused format is refused, naming the accepted ones; for an accepted format, {@code
   * null}.
   */
  public String refusal() {
    return accepted
        ? null
        : displayName + " images are not supported; accepted formats: " + ACCEPTED;
  }

  /**
   * The format the first bytes announce ({@link #SNIFF_BYTES} are enough), or empty when they
   * announce none of these.
   */
  public static Optional<ImageFormat> sniff(byte[] b) {
    if (b.length >= 3 && u(b, 0) == 0xFF && u(b, 1) == 0xD8 && u(b, 2) == 0xFF) {
      return Optional.of(JPEG);
    }
    if (startsWith(b, 0, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) {
      return Optional.of(PNG);
    }
    if (ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")) {
      return Optional.of(WEBP);
    }
    String gif = ascii(b, 0, 6);
    if (gif.equals("GIF87a") || gif.equals("GIF89a")) {
      return Optional.of(GIF);
    }
    if (b.length >= 14 && b[0] == 'B' && b[1] == 'M') {
      return Optional.of(BMP);
    }
    return isoMediaImage(b);
  }

  /** The format of a file, from its first bytes; empty for an unknown or empty file. */
  public static Optional<ImageFormat> sniff(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sniff(in.readNBytes(SNIFF_BYTES));
    }
  }

  /**
   * HEIF or AVIF from an ISO-BMFF {@code ftyp} box: the major brand, then the compatible brands
   * that fit in the bytes given. AVIF wins over the generic HEIF brands it also lists.
   */
  private static Optional<ImageFormat> isoMediaImage(byte[] b) {
    if (b.length < 16 || !ascii(b, 4, 4).equals("ftyp")) {
      return Optional.empty();
    }
    long boxSize =
        ((long) u(b, 0) << 24) | ((long) u(b, 1) << 16) | ((long) u(b, 2) << 8) | u(b, 3);
    int end = (int) Math.min(b.length, boxSize < 16 ? 16 : boxSize);
    boolean heif = false;
    for (int at = 8; at + 4 <= end; at += at == 8 ? 8 : 4) { // skip the minor version
      String brand = ascii(b, at, 4);
      if (AVIF_BRANDS.contains(brand)) {
        return Optional.of(AVIF);
      }
      heif |= HEIF_BRANDS.contains(brand);
    }
    return heif ? Optional.of(HEIF) : Optional.empty();
  }

  private static int u(byte[] b, int i) {
    return b[i] & 0xFF;
  }

  private static boolean startsWith(byte[] b, int at, byte[] prefix) {
    return b.length >= at + prefix.length
        && Arrays.equals(b, at, at + prefix.length, prefix, 0, prefix.length);
  }

  /** {@code n} bytes at {@code at} as Latin-1 text, or "" when the bytes end before. */
  private static String ascii(byte[] b, int at, int n) {
    return b.length >= at + n ? new String(b, at, n, StandardCharsets.ISO_8859_1) : "";
  }
}
