package org.grievance.ssd.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.grievance.ssd.loss.FocalLossConfig;
import org.grievance.ssd.loss.NegativeMining;
import org.grievance.ssd.loss.SsdLossConfig;
import org.grievance.ssd.store.CheckpointJson;
import org.junit.jupiter.api.Test;

class TrainConfigTest {
  @Test
  void defaultsAreTheSsd7Reference() {
    TrainConfig c = TrainConfig.builder().build();
    assertThat(c.optimizer()).isEqualTo(OptimizerConfig.adam());
    assertThat(c.optimizer().beta1()).isEqualTo(0.9);
    assertThat(c.optimizer().beta2()).isEqualTo(0.999);
    assertThat(c.optimizer().epsilon()).isEqualTo(1e-8);
    assertThat(c.schedule()).isEqualTo(ScheduleConfig.constant(1e-3));
    assertThat(c.plateau()).isEqualTo(PlateauConfig.reference());
    assertThat(c.earlyStopping()).isEqualTo(EarlyStoppingConfig.reference());
    assertThat(c.numThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(OptimizerConfig.sgd().momentum()).isEqualTo(0.9);
  }

  @Test
  void invalidValuesAreRejectedNamingFieldAndValue() {
    assertThatThrownBy(() -> TrainConfig.builder().epochs(0).minutes(0).build())
        .hasMessageContaining("set epochs > 0 or minutes > 0");
    assertThatThrownBy(() -> TrainConfig.builder().epochs(-2).build())
        .hasMessageContaining("epochs must be >= 0 (0 = no limit), got -2");
    assertThatThrownBy(() -> TrainConfig.builder().minutes(Double.NaN).build())
        .hasMessageContaining("minutes must be finite and >= 0 (0 = no limit), got NaN");
    assertThatThrownBy(() -> TrainConfig.builder().numThreads(0).build())
        .hasMessageContaining("numThreads must be >= 1, got 0");
    assertThatThrownBy(() -> TrainConfig.builder().resumeWarmupSteps(-1).build())
        .hasMessageContaining("resumeWarmupSteps must be >= 0, got -1");
    assertThatThrownBy(() -> TrainConfig.builder().schedule(null).build())
        .hasMessageContaining("schedule must not be null");
    assertThatThrownBy(
            () -> new OptimizerConfig(OptimizerConfig.OptimizerKind.ADAM, 1.0, 0.999, 1e-8, 0.9))
        .hasMessageContaining("optimizer beta1 must be in [0, 1), got 1.0");
  }

  @Test
  void stateRoundTripsThroughJsonIncludingInfinityAndNulls() throws Exception {
    TrainConfig config =
        TrainConfig.builder()
            .epochs(0)
            .minutes(30)
            .optimizer(OptimizerConfig.sgd())
            .schedule(ScheduleConfig.multiStep(0.01, List.of(5L, 9L)).withWarmup(3))
            .earlyStopping(null)
            .loss(SsdLossConfig.builder().mining(NegativeMining.PER_IMAGE).build())
            .build();
    TrainingState state =
        new TrainingState(
            TrainingState.FORMAT_VERSION,
            3,
            120,
            Long.MAX_VALUE,
            0.002,
            0.2,
            new ReduceLrOnPlateau.State(Double.POSITIVE_INFINITY, 1, 0, 0.2),
            null,
            "val_loss",
            1.5,
            2,
            Double.NaN,
            33.5,
            0.25,
            config);
    byte[] json = CheckpointJson.MAPPER.writeValueAsBytes(state);
    assertThat(CheckpointJson.MAPPER.readValue(json, TrainingState.class)).isEqualTo(state);
  }

  @Test
  void focalLossSettingsRoundTripAndOldStatesReadAsTheMinedLoss() throws Exception {
    TrainConfig focal =
        TrainConfig.builder()
            .loss(SsdLossConfig.builder().focal(new FocalLossConfig(0.5, 1.5, 0.02)).build())
            .build();
    byte[] json = CheckpointJson.MAPPER.writeValueAsBytes(focal);
    TrainConfig back = CheckpointJson.MAPPER.readValue(json, TrainConfig.class);
    assertThat(back).isEqualTo(focal);
    assertThat(back.loss().focal()).isEqualTo(new FocalLossConfig(0.5, 1.5, 0.02));

    // A training-state.json written before the focal option has no "focal" key.
    ObjectNode old = (ObjectNode) CheckpointJson.MAPPER.valueToTree(TrainConfig.builder().build());
    ((ObjectNode) old.get("loss")).remove("focal");
    assertThat(old.get("loss").has("focal")).isFalse();
    TrainConfig read = CheckpointJson.MAPPER.treeToValue(old, TrainConfig.class);
    assertThat(read.loss().usesFocalLoss()).isFalse();
    assertThat(read).isEqualTo(TrainConfig.builder().build());
  }
}
