package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.grievance.ssd.loss.FocalLossConfig;
import org.grievance.ssd.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {
  @TempDir Path tmp;

  private static TrainCommand parse(String... args) {
    TrainCommand cmd = new TrainCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd;
  }

  @Test
  void lossFocalSetsTheFocalTermWithItsOptions() {
    TrainConfig focal =
        parse(
                "--data",
                "d",
                "--out",
                "o",
                "--loss",
                "focal",
                "--focal-alpha",
                "0.5",
                "--focal-gamma",
                "1")
            .trainConfig(1);
    assertThat(focal.loss().focal()).isEqualTo(new FocalLossConfig(0.5, 1, 0.01));
    assertThat(parse("--data", "d", "--out", "o", "--loss", "focal").trainConfig(1).loss().focal())
        .isEqualTo(FocalLossConfig.defaults());
    assertThat(parse("--data", "d", "--out", "o").trainConfig(1).loss().usesFocalLoss()).isFalse();
    assertThatThrownBy(() -> parse("--data", "d", "--out", "o", "--loss", "dice").trainConfig(1))
        .hasMessageContaining("--loss must be standard or focal, not 'dice'");
    assertThatThrownBy(
            () ->
                parse("--data", "d", "--out", "o", "--loss", "focal", "--focal-gamma", "-1")
                    .trainConfig(1))
        .hasMessageContaining("gamma");
  }

  @Test
  void anUnknownModelFailsListingTheRegisteredOnes() {
    CliRunner.Result r =
        CliRunner.run(
            "train",
            "--model",
            "resnet-9000",
            "--data",
            tmp.toString(),
            "--out",
            tmp.resolve("run").toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err())
        .contains("--model resnet-9000 is not a registered architecture")
        .contains("ssd7");
  }
}
