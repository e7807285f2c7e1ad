package org.grievance.ssd.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader (or a crash) never sees a half-written one: the content goes to a
 * temporary file in the same directory, is flushed to disk, then renamed over the target, and the
 * directory is flushed so that the new name survives a power loss too.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** What fills the file. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes {@code bytes} to {@code target} atomically, creating parent directories. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /**
   * Like {@link #write(Path, byte[])} but without forcing the bytes to disk before the rename:
   * still never half-written, but after a power loss the file may be missing. For bulk output
   * (thousands of dataset files) whose completeness is recorded by a durable marker written last;
   * an fsync per file would dominate the run time.
   */
  public static void writeBulk(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes), false);
  }

  /** Streams content to {@code target} atomically, creating parent directories. */
  public static void write(Path target, Writer writer) throws IOException {
    write(target, writer, true);
  }

  private static void write(Path target, Writer writer, boolean sync) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    try {
      try (var channel =
              java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE);
          OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
        writer.writeTo(out);
        out.flush();
        if (sync) {
          channel.force(true);
        }
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      if (sync) {
        syncDirectory(dir);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Forces a directory's entries to disk, so that a rename into it survives a power loss (the
   * file's bytes were forced before the rename, but the new name lives in the directory). Works on
   * Linux and macOS; platforms that cannot open a directory (Windows) refuse with an IOException,
   * which is ignored: there the rename is as durable as the file system makes it.
   */
  public static void syncDirectory(Path dir) {
    try (var channel =
        java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // not supported on this platform or file system; nothing more can be done portably
    }
  }

  /**
   * Deletes {@code root} and everything under it, deepest first; nothing when it does not exist. A
   * file that vanishes meanwhile (another sweep) is not an error.
   */
  public static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
