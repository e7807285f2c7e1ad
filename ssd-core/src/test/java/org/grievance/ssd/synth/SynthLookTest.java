package org.grievance.ssd.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.grievance.ssd.image.RgbImage;
import org.junit.jupiter.api.Test;

class SynthLookTest {
  private static double mean(RgbImage image, int channel) {
    long sum = 0;
    for (int i = channel; i < image.data().length; i += 3) {
      sum += image.data()[i] & 0xFF;
    }
    return sum / (image.data().length / 3.0);
  }

  @Test
  void duskKeepsTheSceneAndItsBoxesButChangesTheLight() {
    SynthConfig day = SynthConfig.builder().splits(4, 0, 0).imageSize(96, 128).seed(3).build();
    SynthConfig dusk = day.toBuilder().look(SynthLook.DUSK).build();
    for (int i = 0; i < 4; i++) {
      SynthSample d = SyntheticDatasetGenerator.sample(day, SynthSplit.TRAIN, i);
      SynthSample n = SyntheticDatasetGenerator.sample(dusk, SynthSplit.TRAIN, i);
      assertThat(n.objects()).isEqualTo(d.objects());
      assertThat(mean(n.image(), 0) + mean(n.image(), 1) + mean(n.image(), 2))
          .isLessThan(mean(d.image(), 0) + mean(d.image(), 1) + mean(d.image(), 2));
      assertThat(mean(n.image(), 2)).isLessThan(0.6 * mean(n.image(), 0));
    }
  }

  @Test
  void theLookIsParsedByName() {
    assertThat(SynthLook.parse(" Dusk ")).isEqualTo(SynthLook.DUSK);
    assertThatThrownBy(() -> SynthLook.parse("night")).hasMessageContaining("day or dusk");
  }
}
