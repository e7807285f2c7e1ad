package org.grievance.ssd.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads an image's width and height from its header, without decoding pixels. Kept minimal on
 * purpose: a general {@code org.grievance.ssd.image} helper may replace it.
 */
final class ImageHeader {
  private ImageHeader() {}

  /**
   * {@code {width, height}} of {@code image}.
   *
   * @throws NoSuchFileException when the file does not exist
   * @throws IOException when no ImageIO reader accepts the file or its header is corrupt; the
   *     message says which
   */
  static int[] size(Path image) throws IOException {
    if (!Files.exists(image)) {
      throw new NoSuchFileException(image.toString());
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
      if (in == null) {
        throw new IOException("cannot open the file as an image stream");
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IOException("not an image format ImageIO can read");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w <= 0 || h <= 0) {
          throw new IOException("header gives a non-positive size " + w + "x" + h);
        }
        return new int[] {w, h};
      } catch (RuntimeException e) {
        // Some readers throw unchecked exceptions on truncated headers.
        throw new IOException("corrupt " + reader.getFormatName() + " header: " + e, e);
      } finally {
        reader.dispose();
      }
    }
  }
}
