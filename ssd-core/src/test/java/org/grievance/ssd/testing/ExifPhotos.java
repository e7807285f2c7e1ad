package org.grievance.ssd.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.grievance.ssd.image.Orientation;
import org.grievance.ssd.image.RgbImage;

/**
 * Phone-photo fixtures: JPEG/PNG bytes with an EXIF block that carries an orientation, a GPS
 * position and a marker string, written by hand (a minimal little-endian TIFF structure) so tests
 * need no downloaded photos and can check that metadata is read, applied and stripped.
 */
public final class ExifPhotos {
  private static final int ASCII = 2;
  private static final int SHORT = 3;
  private static final int LONG = 4;
  private static final int RATIONAL = 5;

  private ExifPhotos() {}

  /**
   * What a camera writes. {@code latitude}/{@code longitude} may be {@code NaN} for no GPS block;
   * {@code marker} (may be {@code null}) goes into ImageDescription and Artist so a test can search
   * the bytes for it.
   */
  public record Exif(Orientation orientation, double latitude, double longitude, String marker) {
    /** Only an orientation. */
    public static Exif orientation(Orientation o) {
      return new Exif(o, Double.NaN, Double.NaN, null);
    }
  }

  /**
   * The stored pixels a camera would write for a photo that should be displayed as {@code upright}
   * with orientation {@code o}: applying {@code o} to the result gives {@code upright} back.
   */
  public static RgbImage storedPixels(RgbImage upright, Orientation o) {
    return o.inverse().toDisplayed(upright);
  }

  /**
   * {@code jpeg} (as written by ImageIO: SOI then segments) with an EXIF APP1 segment inserted
   * right after SOI.
   */
  public static byte[] withExif(byte[] jpeg, Exif exif) {
    if (jpeg.length < 2 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
      throw new IllegalArgumentException("not a JPEG");
    }
    byte[] tiff = tiff(exif);
    ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + tiff.length + 16);
    out.write(0xFF);
    out.write(0xD8);
    int length = 2 + 6 + tiff.length;
    out.write(0xFF);
    out.write(0xE1);
    out.write(length >> 8);
    out.write(length & 0xFF);
    out.writeBytes("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(tiff);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  /**
   * {@code png} (signature, then IHDR first, as every writer puts it) with an {@code eXIf} chunk
   * inserted right after IHDR: lossless pixels with an orientation, for tests that need the
   * displayed pixels of every orientation to be exactly equal.
   */
  public static byte[] withPngExif(byte[] png, Exif exif) {
    int ihdrEnd = 8 + 4 + 4 + 13 + 4; // signature, length, type, 13 data bytes, CRC
    if (png.length < ihdrEnd
        || png[1] != 'P'
        || !"IHDR".equals(new String(png, 12, 4, StandardCharsets.ISO_8859_1))) {
      throw new IllegalArgumentException("not a PNG starting with IHDR");
    }
    byte[] tiff = tiff(exif);
    byte[] typeAndData = new byte[4 + tiff.length];
    System.arraycopy("eXIf".getBytes(StandardCharsets.ISO_8859_1), 0, typeAndData, 0, 4);
    System.arraycopy(tiff, 0, typeAndData, 4, tiff.length);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(typeAndData);
    ByteBuffer chunk = ByteBuffer.allocate(4 + typeAndData.length + 4); // big-endian, as PNG
    chunk.putInt(tiff.length).put(typeAndData).putInt((int) crc.getValue());
    ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + chunk.capacity());
    out.write(png, 0, ihdrEnd);
    out.writeBytes(chunk.array());
    out.write(png, ihdrEnd, png.length - ihdrEnd);
    return out.toByteArray();
  }

  /** The EXIF block as a little-endian TIFF structure (IFD0, optionally a GPS IFD). */
  static byte[] tiff(Exif exif) {
    boolean gps = !Double.isNaN(exif.latitude());
    List<Entry> ifd0 = new ArrayList<>();
    ifd0.add(Entry.value(0x0112, SHORT, exif.orientation().exifValue()));
    if (exif.marker() != null) {
      ifd0.add(Entry.ascii(0x010E, exif.marker())); // ImageDescription
      ifd0.add(Entry.ascii(0x013B, exif.marker())); // Artist
    }
    List<Entry> gpsIfd = new ArrayList<>();
    if (gps) {
      gpsIfd.add(Entry.ascii(0x0001, exif.latitude() >= 0 ? "N" : "S"));
      gpsIfd.add(Entry.degrees(0x0002, Math.abs(exif.latitude())));
      gpsIfd.add(Entry.ascii(0x0003, exif.longitude() >= 0 ? "E" : "W"));
      gpsIfd.add(Entry.degrees(0x0004, Math.abs(exif.longitude())));
      ifd0.add(Entry.value(0x8825, LONG, 0)); // GPS IFD pointer, patched below
    }
    ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
    int gpsPointerSlot = writeIfd(b, ifd0, 0x8825);
    if (gps) {
      b.putInt(gpsPointerSlot, b.position());
      writeIfd(b, gpsIfd, -1);
    }
    byte[] bytes = new byte[b.position()];
    b.flip().get(bytes);
    return bytes;
  }

  /** Writes an IFD and its out-of-line data; returns where the value of {@code patchTag} sits. */
  private static int writeIfd(ByteBuffer b, List<Entry> entries, int patchTag) {
    int start = b.position();
    int dataAt = start + 2 + entries.size() * 12 + 4;
    int patchSlot = -1;
    b.putShort((short) entries.size());
    List<byte[]> outOfLine = new ArrayList<>();
    for (Entry e : entries) {
      b.putShort((short) e.tag).putShort((short) e.type).putInt(e.count);
      if (e.data.length <= 4) {
        if (e.tag == patchTag) {
          patchSlot = b.position();
        }
        byte[] four = new byte[4];
        System.arraycopy(e.data, 0, four, 0, e.data.length);
        b.put(four);
      } else {
        b.putInt(dataAt);
        outOfLine.add(e.data);
        dataAt += e.data.length + (e.data.length & 1);
      }
    }
    b.putInt(0); // no next IFD
    for (byte[] d : outOfLine) {
      b.put(d);
      if ((d.length & 1) == 1) {
        b.put((byte) 0);
      }
    }
    return patchSlot;
  }

  private record Entry(int tag, int type, int count, byte[] data) {
    static Entry value(int tag, int type, int value) {
      ByteBuffer d = ByteBuffer.allocate(type == SHORT ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
      if (type == SHORT) {
        d.putShort((short) value);
      } else {
        d.putInt(value);
      }
      return new Entry(tag, type, 1, d.array());
    }

    static Entry ascii(int tag, String text) {
      byte[] s = (text + "\0").getBytes(StandardCharsets.US_ASCII);
      return new Entry(tag, ASCII, s.length, s);
    }

    /** Degrees as three rationals (degrees, minutes, seconds with 1/10000 precision). */
    static Entry degrees(int tag, double value) {
      int deg = (int) value;
      double minutesFull = (value - deg) * 60;
      int min = (int) minutesFull;
      long secTimes10000 = Math.round((minutesFull - min) * 60 * 10000);
      ByteBuffer d = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
      d.putInt(deg).putInt(1).putInt(min).putInt(1).putInt((int) secTimes10000).putInt(10000);
      return new Entry(tag, RATIONAL, 3, d.array());
    }
  }
}
