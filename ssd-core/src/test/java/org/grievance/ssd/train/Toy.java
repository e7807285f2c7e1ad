package org.grievance.ssd.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A learnable toy detection problem: 16×16 images split into 16 cells of 4×4 pixels, one anchor per
 * cell. A cell is dark (background), red (class 1) or green (class 2); the target offsets of an
 * object cell are a function of its brightness. A tiny conv net (two stride-2 convolutions and two
 * 1×1 heads) maps the image to (B,16,3) logits and (B,16,4) offsets.
 */
final class Toy {
  static final int SIZE = 16;
  static final int ANCHORS = 16;
  static final int CLASSES = 3;

  private Toy() {}

  static Model model(String name) {
    Model model = Model.newInstance(name);
    SequentialBlock block =
        new SequentialBlock()
            .add(new LambdaBlock(l -> new NDList(l.singletonOrThrow().div(255f)), "scale"))
            .add(conv(8, 3, 2))
            .add(Activation.reluBlock())
            .add(conv(8, 3, 2))
            .add(Activation.reluBlock())
            .add(
                new ParallelBlock(
                    outs ->
                        new NDList(
                            flat(outs.get(0).singletonOrThrow()),
                            flat(outs.get(1).singletonOrThrow())),
                    List.of(conv(CLASSES, 1, 1), conv(4, 1, 1))));
    model.setBlock(block);
    return model;
  }

  private static Conv2d conv(int filters, int kernel, int stride) {
    return Conv2d.builder()
        .setFilters(filters)
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .build();
  }

  /** (B,C,h,w) to (B,h·w,C). */
  private static NDArray flat(NDArray x) {
    long b = x.getShape().get(0);
    long c = x.getShape().get(1);
    return x.transpose(0, 2, 3, 1).reshape(b, -1, c);
  }

  static List<InMemoryBatchSource.Sample> samples(int count, long seed) {
    Random rnd = new Random(seed);
    List<InMemoryBatchSource.Sample> out = new ArrayList<>();
    for (int s = 0; s < count; s++) {
      float[] image = new float[3 * SIZE * SIZE];
      int[] ids = new int[ANCHORS];
      float[] offsets = new float[ANCHORS * 4];
      for (int cell = 0; cell < ANCHORS; cell++) {
        int kind = rnd.nextInt(3); // 0 dark, 1 red, 2 green
        float brightness = 120 + rnd.nextInt(136);
        ids[cell] = kind;
        if (kind > 0) {
          float t = brightness / 255f - 0.7f;
          offsets[cell * 4] = t;
          offsets[cell * 4 + 1] = -t;
          offsets[cell * 4 + 2] = 2 * t;
          offsets[cell * 4 + 3] = 0.1f;
        }
        int cy = cell / 4;
        int cx = cell % 4;
        for (int y = 0; y < 4; y++) {
          for (int x = 0; x < 4; x++) {
            int pixel = (cy * 4 + y) * SIZE + cx * 4 + x;
            float noise = rnd.nextInt(20);
            image[pixel] = (kind == 1 ? brightness : 10) + noise;
            image[SIZE * SIZE + pixel] = (kind == 2 ? brightness : 10) + noise;
            image[2 * SIZE * SIZE + pixel] = 10 + noise;
          }
        }
      }
      out.add(new InMemoryBatchSource.Sample(image, ids, offsets));
    }
    return out;
  }

  static InMemoryBatchSource source(int count, long seed, int batchSize, boolean shuffle) {
    return new InMemoryBatchSource(samples(count, seed), batchSize, shuffle, SIZE, SIZE, ANCHORS);
  }

  /** A source whose batches pass through {@code change} (e.g. to inject NaN or advance a clock). */
  static BatchSource mapped(BatchSource inner, MapFn change) {
    return new BatchSource() {
      private final AtomicLong epochs = new AtomicLong();

      @Override
      public Iterator<Batch> epoch(long epochSeed) {
        long epoch = epochs.incrementAndGet();
        Iterator<Batch> it = inner.epoch(epochSeed);
        return new Iterator<>() {
          private int index;

          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Batch next() {
            return change.apply(epoch, ++index).apply(it.next());
          }
        };
      }

      @Override
      public int batchesPerEpoch() {
        return inner.batchesPerEpoch();
      }

      @Override
      public int imageHeight() {
        return inner.imageHeight();
      }

      @Override
      public int imageWidth() {
        return inner.imageWidth();
      }

      @Override
      public int anchorCount() {
        return inner.anchorCount();
      }
    };
  }

  /** For the {@code epoch}-th call of {@link BatchSource#epoch} and 1-based batch index. */
  @FunctionalInterface
  interface MapFn {
    UnaryOperator<Batch> apply(long epochCall, int batch);
  }

  /** A fast base configuration for tests. */
  static TrainConfig.Builder config() {
    return TrainConfig.builder()
        .epochs(3)
        .schedule(ScheduleConfig.constant(0.01))
        .plateau(null)
        .earlyStopping(null)
        .numThreads(1)
        .resumeWarmupSteps(0)
        .seed(7);
  }
}
