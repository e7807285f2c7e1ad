package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.grievance.ssd.store.ModelDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArchiveTest {
  @TempDir Path tmp;

  @Test
  void aModelPacksReproduciblyAndUnpacksToTheSameFiles() throws Exception {
    Path run = TestModels.create(tmp.resolve("run"));
    byte[] zip = ModelArchive.pack(run);
    Files.setLastModifiedTime(
        ModelDirectory.resolve(run).resolve("model.json"),
        java.nio.file.attribute.FileTime.fromMillis(0));
    assertThat(ModelArchive.pack(run)).as("file times do not change the archive").isEqualTo(zip);

    Path out = ModelArchive.unpack(zip, tmp.resolve("models").resolve("m"));
    Path checkpoint = ModelDirectory.resolve(run);
    try (var files = Files.list(checkpoint)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        assertThat(out.resolve(f.getFileName().toString())).hasSameBinaryContentAs(f);
      }
    }
    assertThat(ModelDirectory.open(out).description().classNames()).isEqualTo(TestModels.CLASSES);
    try (var left = Files.list(tmp.resolve("models"))) {
      assertThat(left).as("no temporary folder left").containsExactly(out);
    }
  }

  private static byte[] zip(String... names) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      for (String n : names) {
        z.putNextEntry(new ZipEntry(n));
        z.write(1);
        z.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void anArchiveWithPathsOrWithoutADescriptionIsRefusedAndLeavesNothing() throws Exception {
    Path target = tmp.resolve("models").resolve("bad");
    assertThatThrownBy(() -> ModelArchive.unpack(zip("model.json", "../evil"), target))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unexpected entry '../evil'");
    assertThatThrownBy(() -> ModelArchive.unpack(zip("sub/model.json"), target))
        .hasMessageContaining("unexpected entry 'sub/model.json'");
    assertThatThrownBy(() -> ModelArchive.unpack(zip("model-0001.params"), target))
        .hasMessageContaining("no model.json");
    assertThat(tmp.resolve("evil")).doesNotExist();
    try (var left = Files.list(tmp.resolve("models"))) {
      assertThat(left).isEmpty();
    }
  }
}
