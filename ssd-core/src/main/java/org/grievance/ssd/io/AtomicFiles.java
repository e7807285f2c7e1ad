package org.grievance.ssd.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader (or a crash) never sees a half-written one: the content goes to a
 * temporary file in the same directory, is flushed to disk, then renamed over the target.
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
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
