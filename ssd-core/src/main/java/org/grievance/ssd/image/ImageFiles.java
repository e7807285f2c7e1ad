package org.grievance.ssd.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.grievance.ssd.io.AtomicFiles;
import org.w3c.dom.Node;

/**
 * Reads and writes image files. Every supported input (JPEG baseline or progressive, PNG, WebP,
 * BMP, GIF; grayscale, indexed, with alpha, CMYK/YCCK JPEG; see {@link ImageFormat}) becomes an
 * {@link RgbImage}; every failure becomes an {@link ImageReadException} that names the file, so a
 * bad file in a dataset of thousands is easy to find. Decoder warnings (truncated JPEG, damaged
 * data) count as failures.
 */
public final class ImageFiles {
  private ImageFiles() {}

  /** Width and height of an image file, read from its header. */
  public record Size(int height, int width) {}

  /**
   * Decodes an image file to RGB in its displayed frame: the EXIF orientation, if any, is applied,
   * so a portrait phone photo comes out upright and every box found on it is in the frame people
   * see.
   */
  public static RgbImage read(Path file) throws IOException {
    RgbImage stored = readStored(file);
    return PhotoMetadata.read(file).orientation().toDisplayed(stored);
  }

  /** Decodes an image file to RGB exactly as its pixels are stored, ignoring EXIF orientation. */
  public static RgbImage readStored(Path file) throws IOException {
    return RgbImage.fromBufferedImage(readBuffered(file));
  }

  /**
   * The displayed size of an image file (EXIF orientation applied), reading only the header and the
   * metadata, for cheap checks over a whole dataset.
   */
  public static Size readSize(Path file) throws IOException {
    Size stored = readStoredSize(file);
    return PhotoMetadata.read(file).orientation().displayedSize(stored.height(), stored.width());
  }

  /**
   * The stored size of an image file, as its header gives it (the header for JPEG/PNG), ignoring
   * EXIF orientation.
   */
  public static Size readStoredSize(Path file) throws IOException {
    try (ImageInputStream in = open(file)) {
      ImageReader reader = readerFor(file, in);
      try {
        reader.setInput(in, true, true);
        return new Size(reader.getHeight(0), reader.getWidth(0));
      } catch (IOException | RuntimeException e) {
        throw new ImageReadException(file, "corrupt or truncated header (" + describe(e) + ")", e);
      } finally {
        reader.dispose();
      }
    }
  }

  /**
   * Decodes an image file into an AWT image of whatever type the format produces, in its stored
   * frame (EXIF orientation not applied; {@link #read} applies it).
   *
   * <p>The JDK's decoder goes first (its output is what every test and golden value was made with);
   * when it throws, e.g. on a JPEG with a broken ICC profile, the other registered decoders
   * (TwelveMonkeys) get their turn. Damage reported as decoder warnings is final: a second decoder
   * that stays silent about a truncated file would only hide the damage.
   */
  public static BufferedImage readBuffered(Path file) throws IOException {
    ImageReadException firstFailure = null;
    for (int attempt = 0; ; attempt++) {
      try (ImageInputStream in = open(file)) {
        List<ImageReader> readers = readersFor(file, in);
        if (attempt >= readers.size()) {
          throw firstFailure;
        }
        ImageReader reader = readers.get(attempt);
        try {
          return decode(file, reader, in);
        } catch (DecoderRefused e) {
          if (firstFailure == null) {
            firstFailure = e.failure;
          } else {
            firstFailure.addSuppressed(e.failure);
          }
        } finally {
          readers.forEach(ImageReader::dispose);
        }
      }
    }
  }

  /** A decoder threw (rather than reported damage): another decoder may still read the file. */
  private static final class DecoderRefused extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient ImageReadException failure;

    DecoderRefused(ImageReadException failure) {
      super(failure.getMessage(), null, false, false);
      this.failure = failure;
    }
  }

  private static BufferedImage decode(Path file, ImageReader reader, ImageInputStream in)
      throws IOException, DecoderRefused {
    reader.setInput(in, false, false);
    // Decoders report truncated or damaged data as warnings and fill the rest with grey; for
    // training data that silent damage is worse than a clear failure. A missing or broken colour
    // profile is not damage: the decoder ignores it and the pixels are read as sRGB (or through a
    // standard CMYK profile).
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener(
        (source, warning) -> {
          if (!isColourProfileNotice(warning)) {
            warnings.add(warning);
          }
        });
    BufferedImage img;
    try {
      try {
        img = reader.read(0);
      } catch (javax.imageio.IIOException e) {
        // The JDK's JPEG reader refuses 4-channel (CMYK/YCCK) JPEGs on read() but hands out the
        // raw raster, which we convert ourselves.
        img = readFourChannelJpeg(reader, e);
      }
    } catch (IOException | RuntimeException e) {
      throw new DecoderRefused(
          new ImageReadException(file, "corrupt or truncated data (" + describe(e) + ")", e));
    }
    if (img == null) {
      throw new ImageReadException(file, "the decoder returned no image");
    }
    if (!warnings.isEmpty()) {
      throw new ImageReadException(
          file, "corrupt or truncated data (" + String.join("; ", warnings) + ")");
    }
    return img;
  }

  /**
   * Whether a decoder warning only says that the colour profile was missing or unusable and was
   * ignored: the JDK's "No embedded ICC color profile" and "Embedded color profile is invalid;
   * ignored", TwelveMonkeys' "Bad 'ICC_PROFILE' chunk(s): ... Ignoring ICC profile."
   */
  static boolean isColourProfileNotice(String warning) {
    String w = warning.toLowerCase(Locale.ROOT);
    return w.contains("icc") || w.contains("color profile") || w.contains("colour profile");
  }

  /** Writes a lossless PNG atomically. */
  public static void writePng(RgbImage image, Path file) throws IOException {
    writePng(image.toBufferedImage(), file);
  }

  /** Writes a lossless PNG atomically. */
  public static void writePng(BufferedImage image, Path file) throws IOException {
    byte[] bytes = encode(image, "png", Float.NaN);
    AtomicFiles.write(file, bytes);
  }

  /** Encodes a lossless PNG in memory. */
  public static byte[] pngBytes(RgbImage image) throws IOException {
    return encode(image.toBufferedImage(), "png", Float.NaN);
  }

  /** Writes a baseline JPEG atomically; {@code quality} in (0, 1], e.g. 0.92. */
  public static void writeJpeg(RgbImage image, Path file, float quality) throws IOException {
    writeJpeg(image.toBufferedImage(), file, quality);
  }

  /** Encodes a baseline JPEG in memory; {@code quality} in (0, 1]. */
  public static byte[] jpegBytes(RgbImage image, float quality) throws IOException {
    if (!(quality > 0f && quality <= 1f)) {
      throw new IllegalArgumentException("JPEG quality must be in (0, 1], got " + quality);
    }
    return encode(image.toBufferedImage(), "jpeg", quality);
  }

  /**
   * Writes a baseline JPEG atomically; {@code quality} in (0, 1]. Images with alpha or an unusual
   * pixel layout are converted to RGB first (JPEG has no alpha).
   */
  public static void writeJpeg(BufferedImage image, Path file, float quality) throws IOException {
    if (!(quality > 0f && quality <= 1f)) {
      throw new IllegalArgumentException("JPEG quality must be in (0, 1], got " + quality);
    }
    BufferedImage rgb = image;
    if (image.getType() != BufferedImage.TYPE_INT_RGB
        && image.getType() != BufferedImage.TYPE_3BYTE_BGR
        && image.getType() != BufferedImage.TYPE_BYTE_GRAY) {
      rgb = RgbImage.fromBufferedImage(image).toBufferedImage();
    }
    AtomicFiles.write(file, encode(rgb, "jpeg", quality));
  }

  /** Encodes to PNG or JPEG bytes in memory (so the file write itself can be atomic). */
  static byte[] encode(BufferedImage image, String format, float quality) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
    if (!writers.hasNext()) {
      throw new IOException("no ImageIO writer for " + format);
    }
    ImageWriter writer = writers.next();
    var buffer = new java.io.ByteArrayOutputStream(image.getWidth() * image.getHeight());
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(buffer)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (!Float.isNaN(quality)) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return buffer.toByteArray();
  }

  private static ImageInputStream open(Path file) throws IOException {
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      throw new ImageReadException(file, "no such file", e);
    }
    if (Files.isDirectory(file)) {
      throw new ImageReadException(file, "it is a directory");
    }
    if (size == 0) {
      throw new ImageReadException(file, "the file is empty");
    }
    InputStream raw = Files.newInputStream(file);
    ImageInputStream in = ImageIO.createImageInputStream(raw);
    if (in == null) {
      raw.close();
      throw new ImageReadException(file, "no image input stream available");
    }
    return in;
  }

  private static ImageReader readerFor(Path file, ImageInputStream in) throws IOException {
    List<ImageReader> readers = readersFor(file, in);
    for (int i = 1; i < readers.size(); i++) {
      readers.get(i).dispose();
    }
    return readers.get(0);
  }

  /**
   * The decoders that claim the file, the JDK's own first. Formats recognised only to be refused
   * (HEIC, AVIF) fail here with a message that names the accepted ones.
   */
  private static List<ImageReader> readersFor(Path file, ImageInputStream in) throws IOException {
    byte[] head = new byte[ImageFormat.SNIFF_BYTES];
    in.mark();
    int n = Math.max(0, in.read(head));
    in.reset();
    ImageFormat format = ImageFormat.sniff(Arrays.copyOf(head, n)).orElse(null);
    if (format != null && !format.accepted()) {
      in.close();
      throw new ImageReadException(file, format.refusal());
    }
    List<ImageReader> readers = new ArrayList<>();
    ImageIO.getImageReaders(in).forEachRemaining(readers::add);
    if (readers.isEmpty()) {
      in.close();
      throw new ImageReadException(
          file, "not a recognised image format (" + ImageFormat.ACCEPTED + " expected)");
    }
    readers.sort(
        java.util.Comparator.comparing(
            (ImageReader r) -> !r.getClass().getName().startsWith("com.sun.imageio.")));
    return readers;
  }

  private static BufferedImage readFourChannelJpeg(ImageReader reader, IOException failure)
      throws IOException {
    if (!reader.getFormatName().toLowerCase(Locale.ROOT).startsWith("jp")) {
      throw failure;
    }
    Raster raster;
    try {
      raster = reader.readRaster(0, null);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
      throw failure;
    }
    if (raster.getNumBands() != 4) {
      throw failure;
    }
    return CmykJpeg.toRgb(raster, adobeTransform(reader));
  }

  /**
   * The Adobe APP14 colour transform of a JPEG: -1 without the marker, 0 for plain (Adobe inverted)
   * CMYK, 2 for YCCK.
   */
  private static int adobeTransform(ImageReader reader) throws IOException {
    IIOMetadata meta = reader.getImageMetadata(0);
    if (meta == null) {
      return -1;
    }
    Node root = meta.getAsTree("javax_imageio_jpeg_image_1.0");
    Node adobe = find(root, "app14Adobe");
    if (adobe == null) {
      return -1;
    }
    Node t = adobe.getAttributes().getNamedItem("transform");
    return t == null ? 0 : Integer.parseInt(t.getNodeValue());
  }

  private static Node find(Node node, String name) {
    if (name.equals(node.getNodeName())) {
      return node;
    }
    for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
      Node hit = find(c, name);
      if (hit != null) {
        return hit;
      }
    }
    return null;
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
