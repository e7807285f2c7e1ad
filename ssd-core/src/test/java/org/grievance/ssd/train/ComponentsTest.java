package org.grievance.ssd.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComponentsTest {
  @Test
  void l2RegularisesOnlyConvKernelsAndLeavesNothingInTheModelManager() {
    try (Model model = Toy.model("l2")) {
      model
          .getBlock()
          .initialize(model.getNDManager(), model.getDataType(), new Shape(1, 3, 16, 16));
      double expected = 0;
      int kernels = 0;
      for (Parameter p : model.getBlock().getParameters().values()) {
        if (p.getType() == Parameter.Type.WEIGHT) {
          kernels++;
          for (float w : p.getArray().toFloatArray()) {
            expected += (double) w * w;
          }
        }
      }
      assertThat(kernels).isEqualTo(4);
      int before = model.getNDManager().getManagedArrays().size();
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray value = L2Regularization.convKernels(model.getBlock(), 5e-4).compute(m, true);
        assertThat(value.getShape().dimension()).isZero();
        assertThat((double) value.getFloat()).isCloseTo(5e-4 * expected, within(1e-6 * expected));
      }
      assertThat(model.getNDManager().getManagedArrays()).hasSize(before);
      assertThat(
              L2Regularization.convKernels(model.getBlock(), 0).compute(model.getNDManager(), true))
          .isNull();
    }
  }

  @Test
  void inMemorySourceShufflesByEpochSeedAndKeepsTheLastPartialBatch() {
    InMemoryBatchSource source = Toy.source(10, 1, 4, true);
    assertThat(source.batchesPerEpoch()).isEqualTo(3);
    List<Integer> sizes = new ArrayList<>();
    Iterator<Batch> it = source.epoch(5);
    it.forEachRemaining(b -> sizes.add(b.size()));
    assertThat(sizes).containsExactly(4, 4, 2);
    assertThat(source.epoch(5).next().images()).isEqualTo(source.epoch(5).next().images());
    assertThat(source.epoch(5).next().images()).isNotEqualTo(source.epoch(6).next().images());
    InMemoryBatchSource ordered = Toy.source(10, 1, 4, false);
    assertThat(ordered.epoch(5).next().images()).isEqualTo(ordered.epoch(6).next().images());
  }

  @Test
  void batchValidationNamesTheFieldAndLengths() {
    assertThatThrownBy(() -> new Batch(2, 4, 4, 3, new float[96], new int[5], new float[24]))
        .hasMessageContaining("Batch.classIds has length 5, expected 6");
    assertThatThrownBy(() -> new Batch(0, 4, 4, 3, new float[0], new int[0], new float[0]))
        .hasMessageContaining("Batch.size must be > 0, got 0");
    assertThatThrownBy(
            () ->
                new InMemoryBatchSource(
                    List.of(new InMemoryBatchSource.Sample(new float[3], new int[1], new float[4])),
                    1,
                    false,
                    2,
                    2,
                    1))
        .hasMessageContaining("sample 0 has array lengths image=3");
  }

  @Test
  void epochSeedsDifferPerEpochAndAreReproducible() {
    assertThat(Trainer.epochSeed(7, 1)).isEqualTo(Trainer.epochSeed(7, 1));
    assertThat(Trainer.epochSeed(7, 1)).isNotEqualTo(Trainer.epochSeed(7, 2));
    assertThat(Trainer.epochSeed(7, 1)).isNotEqualTo(Trainer.epochSeed(8, 1));
  }
}
