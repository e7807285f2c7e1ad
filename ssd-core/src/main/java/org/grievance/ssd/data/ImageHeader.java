package org.grievance.ssd.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.grievance.ssd.image.ImageFiles;

/**
 * An image's width and height from its header ({@link ImageFiles#readSize}), with a missing file
 * reported as {@link NoSuchFileException} so readers can word that case themselves.
 */
final class ImageHeader {
  private ImageHeader() {}

  /**
   * {@code {width, height}} of {@code image}.
   *
   * @throws NoSuchFileException when the file does not exist
   * @throws IOException when the file is not a readable image; the message says why
   */
  static int[] size(Path image) throws IOException {
    if (!Files.exists(image)) {
      throw new NoSuchFileException(image.toString());
    }
    ImageFiles.Size size = ImageFiles.readSize(image);
    return new int[] {size.width(), size.height()};
  }
}
