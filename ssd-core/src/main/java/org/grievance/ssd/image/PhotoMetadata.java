package org.grievance.ssd.image;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.lang.GeoLocation;
import com.drew.metadata.Metadata;
import com.drew.metadata.MetadataException;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.GpsDirectory;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a photo's metadata says that the toolkit acts on: how to turn it upright and where it was
 * taken. Read with metadata-extractor, which understands EXIF in JPEG, PNG, WebP, HEIF and TIFF.
 *
 * <p>Metadata is advisory: a photo whose metadata block is damaged or absent is still a photo, so
 * reading never fails on the metadata alone; it reports {@link Orientation#NORMAL} and no location
 * (the pixels are checked separately by the decoder).
 *
 * @param orientation how the stored pixels must be turned to show the photo upright
 * @param location where the camera says the photo was taken, when it says so
 */
public record PhotoMetadata(Orientation orientation, Optional<GeoPoint> location) {

  /** No metadata: upright, no location. */
  public static final PhotoMetadata NONE = new PhotoMetadata(Orientation.NORMAL, Optional.empty());

  /**
   * A position in WGS84 degrees.
   *
   * @param latitude in [-90, 90]
   * @param longitude in [-180, 180]
   */
  public record GeoPoint(double latitude, double longitude) {
    /** Validates both coordinates. */
    public GeoPoint {
      if (!(latitude >= -90 && latitude <= 90)) {
        throw new IllegalArgumentException("latitude must be in [-90, 90], got " + latitude);
      }
      if (!(longitude >= -180 && longitude <= 180)) {
        throw new IllegalArgumentException("longitude must be in [-180, 180], got " + longitude);
      }
    }
  }

  /** Validates the fields. */
  public PhotoMetadata {
    Objects.requireNonNull(orientation, "orientation");
    Objects.requireNonNull(location, "location");
  }

  /** The metadata of an image file. */
  public static PhotoMetadata read(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      return read(in, Files.size(file));
    }
  }

  /** The metadata of an image held in memory (an upload). */
  public static PhotoMetadata read(byte[] bytes) {
    return read(new ByteArrayInputStream(bytes), bytes.length);
  }

  private static PhotoMetadata read(InputStream in, long length) {
    Metadata metadata;
    try {
      metadata = ImageMetadataReader.readMetadata(in, length);
    } catch (ImageProcessingException | IOException | RuntimeException e) {
      // An unknown container or a damaged or truncated metadata block (reported as IOException):
      // the decoder decides about the pixels.
      return NONE;
    }
    return new PhotoMetadata(orientation(metadata), location(metadata));
  }

  private static Orientation orientation(Metadata metadata) {
    ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
    if (ifd0 == null || !ifd0.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
      return Orientation.NORMAL;
    }
    try {
      return Orientation.ofExif(ifd0.getInt(ExifIFD0Directory.TAG_ORIENTATION));
    } catch (MetadataException e) {
      return Orientation.NORMAL;
    }
  }

  private static Optional<GeoPoint> location(Metadata metadata) {
    for (GpsDirectory gps : metadata.getDirectoriesOfType(GpsDirectory.class)) {
      GeoLocation at = gps.getGeoLocation();
      // (0, 0) is what many cameras write when they had no fix.
      if (at != null && !at.isZero()) {
        try {
          return Optional.of(new GeoPoint(at.getLatitude(), at.getLongitude()));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
