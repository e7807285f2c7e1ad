package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The API suite on the default embedded H2 file database. */
class H2RegisterApiTest extends RegisterApiContract {
  @Override
  String jdbcUrl(Path tmp) {
    return null;
  }

  @Test
  void aStartedServerHasTurnedImageIosDiskCacheOff() {
    assertThat(server).isNotNull();
    assertThat(ImageIO.getUseCache())
        .as("no imageio*.tmp copies of images in java.io.tmpdir, which nothing sweeps")
        .isFalse();
  }
}
