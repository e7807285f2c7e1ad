package org.grievance.ssd.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path tmp;

  @Test
  void writesAndReplacesLeavingNoTemporaryFile() throws IOException {
    Path target = tmp.resolve("a/b/file.bin");
    AtomicFiles.write(target, new byte[] {1, 2, 3});
    AtomicFiles.write(target, new byte[] {4});
    assertThat(Files.readAllBytes(target)).containsExactly(4);
    try (Stream<Path> files = Files.list(target.getParent())) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void aFailedWriteKeepsTheOldContentAndLeavesNoTemporaryFile() throws IOException {
    Path target = tmp.resolve("file.bin");
    AtomicFiles.write(target, new byte[] {1});
    assertThatCode(
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      out.write(9);
                      throw new IOException("disk full");
                    }))
        .hasMessage("disk full");
    assertThat(Files.readAllBytes(target)).containsExactly(1);
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void syncingADirectoryThatCannotBeOpenedIsQuiet() {
    assertThatCode(() -> AtomicFiles.syncDirectory(tmp.resolve("missing")))
        .doesNotThrowAnyException();
    assertThatCode(() -> AtomicFiles.syncDirectory(tmp)).doesNotThrowAnyException();
  }

  @Test
  void deleteRecursivelyRemovesATreeAndIgnoresAMissingOne() throws Exception {
    Path root = tmp.resolve("tree");
    Files.createDirectories(root.resolve("a/b"));
    Files.writeString(root.resolve("a/b/c.txt"), "c");
    Files.writeString(root.resolve("d.txt"), "d");
    Path sibling = tmp.resolve("kept.txt");
    Files.writeString(sibling, "kept");

    AtomicFiles.deleteRecursively(root);

    assertThat(root).doesNotExist();
    assertThat(sibling).hasContent("kept");
    assertThatCode(() -> AtomicFiles.deleteRecursively(root)).doesNotThrowAnyException();
  }
}
