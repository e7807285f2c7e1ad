package org.grievance.ssd.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.testing.ExifPhotos.Exif;

/**
 * WebP fixtures written by hand, since no WebP encoder is on the class path (TwelveMonkeys only
 * decodes): a lossless (VP8L) bitstream of any RGB image, optionally in the extended container with
 * an EXIF chunk, as Android phones write it.
 *
 * <p>The encoder is the simplest the format allows, not a compressor: no transforms, no colour
 * cache, no back-references; green, red and blue each get the complete prefix code in which every
 * byte value is 8 bits long (so a pixel costs 24 bits), alpha a one-symbol code (opaque, 0 bits).
 * The layout follows RFC 9649 ("WebP Image Format"), sections 3 and 5; its output was checked once
 * against libwebp 1.2.4 (Debian's {@code dwebp} decodes it to the same pixels, {@code webpinfo}
 * finds no error).
 */
public final class WebpImages {
  /** The order in which the lengths of the code-length code are written (RFC 9649, 3.7.2.1.2). */
  private static final int[] CODE_LENGTH_ORDER = {
    17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
  };

  /** Green's alphabet: 256 literals plus 24 length prefixes (no colour cache). */
  private static final int GREEN_ALPHABET = 256 + 24;

  private WebpImages() {}

  /** A lossless WebP file ({@code RIFF}, {@code VP8L}) of {@code image}. */
  public static byte[] lossless(RgbImage image) {
    return riff(chunk("VP8L", vp8l(image)));
  }

  /**
   * An extended WebP file ({@code VP8X}, {@code VP8L}, {@code EXIF}) of {@code image} with the EXIF
   * block {@code exif} (orientation, GPS, marker).
   */
  public static byte[] withExif(RgbImage image, Exif exif) {
    byte[] vp8x = new byte[10];
    vp8x[0] = 0x08; // EXIF flag
    int w = image.width() - 1;
    int h = image.height() - 1;
    vp8x[4] = (byte) w;
    vp8x[5] = (byte) (w >> 8);
    vp8x[6] = (byte) (w >> 16);
    vp8x[7] = (byte) h;
    vp8x[8] = (byte) (h >> 8);
    vp8x[9] = (byte) (h >> 16);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(chunk("VP8X", vp8x));
    body.writeBytes(chunk("VP8L", vp8l(image)));
    body.writeBytes(chunk("EXIF", ExifPhotos.tiff(exif)));
    return riff(body.toByteArray());
  }

  private static byte[] riff(byte[] chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(chunks.length + 12);
    out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
    writeLe32(out, 4 + chunks.length);
    out.writeBytes("WEBP".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(chunks);
    return out.toByteArray();
  }

  private static byte[] chunk(String fourCc, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 9);
    out.writeBytes(fourCc.getBytes(StandardCharsets.US_ASCII));
    writeLe32(out, payload.length);
    out.writeBytes(payload);
    if ((payload.length & 1) == 1) {
      out.write(0); // chunks are padded to an even size
    }
    return out.toByteArray();
  }

  private static void writeLe32(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >> 8);
    out.write(v >> 16);
    out.write(v >> 24);
  }

  /** The VP8L bitstream: header, one spatially coded ARGB image. */
  static byte[] vp8l(RgbImage image) {
    if (image.width() > 16384 || image.height() > 16384) {
      throw new IllegalArgumentException("VP8L images are at most 16384 pixels a side");
    }
    Bits b = new Bits();
    b.write(0x2f, 8); // signature
    b.write(image.width() - 1, 14);
    b.write(image.height() - 1, 14);
    b.write(0, 1); // alpha not used
    b.write(0, 3); // version 0
    b.write(0, 1); // no transform
    b.write(0, 1); // no colour cache
    b.write(0, 1); // one prefix-code group (no meta prefix codes)
    everyByteIsEightBits(b, GREEN_ALPHABET);
    everyByteIsEightBits(b, 256); // red
    everyByteIsEightBits(b, 256); // blue
    oneSymbol(b, 255); // alpha: always opaque
    oneSymbol(b, 0); // distance: never used
    byte[] px = image.data();
    for (int i = 0; i < px.length; i += 3) {
      b.code(px[i + 1] & 0xFF, 8); // green first
      b.code(px[i] & 0xFF, 8);
      b.code(px[i + 2] & 0xFF, 8);
    }
    return b.bytes();
  }

  /**
   * A normal prefix code giving symbols 0–255 length 8 and the rest of the alphabet length 0: the
   * canonical code of byte value v is then v itself.
   */
  private static void everyByteIsEightBits(Bits b, int alphabet) {
    b.write(0, 1); // normal code
    // The code-length code needs lengths for the symbols 0 and 8 only; 8 is 12th in the order.
    int written = 12;
    b.write(written - 4, 4);
    for (int i = 0; i < written; i++) {
      int symbol = CODE_LENGTH_ORDER[i];
      b.write(symbol == 0 || symbol == 8 ? 1 : 0, 3);
    }
    b.write(0, 1); // lengths for the whole alphabet follow
    // Two code-length symbols of length 1: "0" codes length 0, "1" codes length 8.
    for (int s = 0; s < alphabet; s++) {
      b.write(s < 256 ? 1 : 0, 1);
    }
  }

  /** A simple prefix code of one symbol, which then takes no bits at all. */
  private static void oneSymbol(Bits b, int symbol) {
    b.write(1, 1); // simple code
    b.write(0, 1); // one symbol
    if (symbol < 2) {
      b.write(0, 1);
      b.write(symbol, 1);
    } else {
      b.write(1, 1);
      b.write(symbol, 8);
    }
  }

  /** A little-endian bit writer: the first bit goes to the lowest bit of the first byte. */
  private static final class Bits {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int current;
    private int used;

    /** {@code n} bits of {@code value}, lowest first (header fields, lengths). */
    void write(int value, int n) {
      for (int i = 0; i < n; i++) {
        bit((value >>> i) & 1);
      }
    }

    /** A prefix code of {@code length} bits, highest first (as DEFLATE packs its codes). */
    void code(int code, int length) {
      for (int i = length - 1; i >= 0; i--) {
        bit((code >>> i) & 1);
      }
    }

    private void bit(int v) {
      current |= v << used;
      if (++used == 8) {
        out.write(current);
        current = 0;
        used = 0;
      }
    }

    byte[] bytes() {
      if (used > 0) {
        out.write(current);
      }
      return out.toByteArray();
    }
  }
}
