package org.grievance.ssd.register;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the register keeps its photos, content-addressed: a photo's name is the SHA-256 of its
 * bytes ({@code ab/abcdef…}), so the same photo submitted twice is stored once and a name can never
 * point at other content. {@link #put} returns only once the photo is durable, and it is called
 * <em>before</em> the database row that references the photo is committed; a crash in between
 * leaves at worst an unreferenced photo ({@link OrphanPhotos} removes it), never a reference to a
 * missing or half-written one.
 *
 * <p>Two kinds: a local folder ({@link FolderPhotoStore}, the embedded default) and an S3 bucket
 * ({@link S3PhotoStore}) that any number of replicas share. {@link #open(PhotoLocation)} picks one.
 */
public interface PhotoStore extends AutoCloseable {
  /** Opens the store at {@code location}; an S3 bucket is checked to be reachable first. */
  static PhotoStore open(PhotoLocation location) throws IOException {
    if (location instanceof PhotoLocation.S3 s3) {
      return S3PhotoStore.open(s3);
    }
    return new FolderPhotoStore(((PhotoLocation.Folder) location).dir());
  }

  /** SHA-256 of {@code bytes} as lower-case hex. */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Whether {@code name} is a lower-case hex SHA-256, the only names the store holds. */
  static boolean isHash(String name) {
    return Hashes.SHA256.matcher(name).matches();
  }

  /** The relative name of a photo in either store: {@code ab/abcdef…}. */
  static String key(String hash) {
    if (!isHash(hash)) {
      throw new IllegalArgumentException("not a SHA-256 hex digest: " + hash);
    }
    return hash.substring(0, 2) + "/" + hash;
  }

  /** Where the photos are, for messages and logs. */
  String describe();

  /**
   * Stores {@code bytes} (a photo already there is marked as just stored, so that {@link
   * OrphanPhotos} leaves it to the request about to reference it) and returns their hash; returns
   * once they are durable.
   */
  String put(byte[] bytes) throws IOException;

  /** The stored bytes of {@code hash}. */
  byte[] read(String hash) throws IOException;

  /** The stored photo as a stream, so serving it does not hold the whole photo in memory. */
  InputStream open(String hash) throws IOException;

  /** Whether a photo with this hash is stored. */
  boolean exists(String hash) throws IOException;

  /**
   * The hashes of the stored photos in ascending order, without holding them all in memory;
   * temporary and foreign names are skipped. The caller closes the stream.
   */
  Stream<String> hashes() throws IOException;

  /**
   * Deletes the photo if it was last stored before {@code cutoff}; returns its size in bytes, or -1
   * when it was newer or already gone (another replica swept it first).
   */
  long deleteIfOlder(String hash, Instant cutoff) throws IOException;

  /**
   * Deletes what a process killed in the middle of a write left behind; returns how many. Nothing
   * for a store whose writes are atomic by themselves.
   */
  int sweepTemporaryFiles() throws IOException;

  /** Frees the connections of a remote store. */
  @Override
  default void close() {}

  /** Holder of the interface's constant (interfaces have no private fields). */
  final class Hashes {
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private Hashes() {}
  }
}
