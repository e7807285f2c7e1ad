package org.grievance.ssd.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SceneRendererTest {
  private static final SynthConfig SMALL =
      SynthConfig.builder().imageSize(96, 128).objects(2, 4).build();

  @Test
  void sameSeedSameSampleDifferentSeedDifferentImage() {
    SynthSample a = SceneRenderer.render(SMALL, 42);
    SynthSample b = SceneRenderer.render(SMALL, 42);
    SynthSample c = SceneRenderer.render(SMALL, 43);
    assertThat(a.image()).isEqualTo(b.image());
    assertThat(a.objects()).isEqualTo(b.objects());
    assertThat(a.image()).isNotEqualTo(c.image());
  }

  @Test
  void boxesAreInsideTheImageAndEveryClassAppears() {
    Set<SynthClass> seen = EnumSet.noneOf(SynthClass.class);
    for (long seed = 0; seed < 25; seed++) {
      SynthSample s = SceneRenderer.render(SMALL, seed);
      assertThat(s.image().height()).isEqualTo(96);
      assertThat(s.image().width()).isEqualTo(128);
      for (SynthObject o : s.objects()) {
        assertThat(o.xmin()).isGreaterThanOrEqualTo(0);
        assertThat(o.ymin()).isGreaterThanOrEqualTo(0);
        assertThat(o.xmax()).isLessThanOrEqualTo(128);
        assertThat(o.ymax()).isLessThanOrEqualTo(96);
        assertThat(o.width()).isGreaterThanOrEqualTo(2);
        assertThat(o.height()).isGreaterThanOrEqualTo(2);
        seen.add(o.type());
      }
    }
    assertThat(seen).containsExactlyInAnyOrder(SynthClass.values());
  }

  @Test
  void truncatedObjectsTouchTheBorderAndNoTruncationMeansNone() {
    SynthConfig always = SMALL.toBuilder().truncationProbability(1).build();
    SynthConfig never = SMALL.toBuilder().truncationProbability(0).build();
    int truncated = 0;
    for (long seed = 0; seed < 15; seed++) {
      for (SynthObject o : SceneRenderer.render(always, seed).objects()) {
        if (o.truncated()) {
          truncated++;
          assertThat(o.xmin() == 0 || o.ymin() == 0 || o.xmax() == 128 || o.ymax() == 96)
              .as("truncated box %s touches a border", o)
              .isTrue();
        }
      }
      assertThat(SceneRenderer.render(never, seed).objects()).noneMatch(SynthObject::truncated);
    }
    assertThat(truncated).isGreaterThan(10);
  }

  /** COCO size buckets over many objects of the default 240x320 image. */
  private static int[] buckets(SynthConfig cfg, int images) {
    int[] b = new int[3];
    for (long seed = 0; seed < images; seed++) {
      for (SynthObject o : SceneRenderer.render(cfg, seed).objects()) {
        long area = (long) o.width() * o.height();
        b[area < 32 * 32 ? 0 : area > 96 * 96 ? 2 : 1]++;
      }
    }
    return b;
  }

  @Test
  void sizesSpreadFromSmallToLarge() {
    int[] quick = buckets(SynthConfig.quickstart(), 25);
    assertThat(quick).doesNotContain(0);
    assertThat(quick[0]).as("quickstart is mostly medium/large").isLessThan(quick[1] + quick[2]);
    int[] hard = buckets(SynthConfig.hard(), 12);
    int total = hard[0] + hard[1] + hard[2];
    assertThat(hard).doesNotContain(0);
    assertThat((double) hard[0] / total).as("hard: share under 32x32").isBetween(0.25, 0.6);
  }

  @Test
  void layerBoxIsTightAroundThePaintedPixels() {
    Rng rng = new Rng(5);
    for (SynthClass type : SynthClass.values()) {
      for (int i = 0; i < 4; i++) {
        Layer layer = ObjectPainter.paint(type, rng.uniform(10, 60), 300, 300, rng);
        assertThat(layer.isEmpty()).isFalse();
        int w = layer.image.getWidth();
        int h = layer.image.getHeight();
        boolean top = false;
        boolean bottom = false;
        boolean left = false;
        boolean right = false;
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            boolean opaque = (layer.image.getRGB(x, y) >>> 24) >= Layer.ALPHA_THRESHOLD;
            boolean inside = x >= layer.x0 && x < layer.x1 && y >= layer.y0 && y < layer.y1;
            if (opaque) {
              assertThat(inside).as("%s pixel (%d,%d) outside its box", type, x, y).isTrue();
              top |= y == layer.y0;
              bottom |= y == layer.y1 - 1;
              left |= x == layer.x0;
              right |= x == layer.x1 - 1;
            }
          }
        }
        assertThat(new boolean[] {top, bottom, left, right}).as(type.name()).containsOnly(true);
        // The painter stays inside its canvas: nothing drawn on the outermost rows/columns.
        assertThat(layer.x0).as(type + " left margin").isPositive();
        assertThat(layer.y0).as(type + " top margin").isPositive();
        assertThat(layer.x1).as(type + " right margin").isLessThan(w);
        assertThat(layer.y1).as(type + " bottom margin").isLessThan(h);
      }
    }
  }

  @Test
  void imageSeedsDependOnSeedSplitAndIndex() {
    long s = SyntheticDatasetGenerator.imageSeed(1, SynthSplit.TRAIN, 0);
    assertThat(s).isEqualTo(SyntheticDatasetGenerator.imageSeed(1, SynthSplit.TRAIN, 0));
    assertThat(s)
        .isNotEqualTo(SyntheticDatasetGenerator.imageSeed(2, SynthSplit.TRAIN, 0))
        .isNotEqualTo(SyntheticDatasetGenerator.imageSeed(1, SynthSplit.VAL, 0))
        .isNotEqualTo(SyntheticDatasetGenerator.imageSeed(1, SynthSplit.TRAIN, 1));
  }
}
