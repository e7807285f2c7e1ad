package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.grievance.ssd.train.ReduceLrOnPlateau;
import org.grievance.ssd.train.TrainConfig;
import org.grievance.ssd.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartCommandTest {
  private static TrainingState trained(int epochs, long steps, double seconds) {
    return new TrainingState(
        TrainingState.FORMAT_VERSION,
        epochs,
        steps,
        steps,
        1e-5,
        1.0,
        ReduceLrOnPlateau.State.initial(),
        null,
        "val_loss",
        1.0,
        epochs,
        1.0,
        seconds,
        0.1,
        TrainConfig.builder().epochs(7).minutes(30).build());
  }

  @Test
  void aFullRunReportsItsStepsAndTime() {
    assertThat(QuickstartCommand.describeTraining(trained(7, 2625, 431.2), 7, 30))
        .isEqualTo("2625 steps (7 of 7 epochs) in 7:11");
  }

  @Test
  void aRunCutShortByTheTimeBoundSaysSo() {
    String line = QuickstartCommand.describeTraining(trained(6, 2250, 1800.4), 7, 30);
    assertThat(line)
        .startsWith("2250 steps (6 of 7 epochs) in 30:00")
        .contains("CUT SHORT by the 30-minute bound")
        .contains("--max-minutes");
    assertThat(QuickstartCommand.describeTraining(trained(2, 700, 90), 10, 1.5))
        .contains("1.5-minute bound");
  }

  @Test
  void theQuickstartTrainsAFixedNumberOfEpochsByDefault() {
    QuickstartCommand command = new QuickstartCommand();
    new picocli.CommandLine(command).parseArgs();
    assertThat(command.epochs).isEqualTo(QuickstartCommand.EPOCHS);
    assertThat(command.maxMinutes).isEqualTo(30.0);
    assertThat(command.threads).isEqualTo(QuickstartCommand.THREADS);
  }

  @Test
  void aThreadCountBelowOneIsRefusedBeforeAnythingIsWritten(@TempDir Path tmp) {
    Path dir = tmp.resolve("qs");
    CliRunner.Result r = CliRunner.run("quickstart", "--dir", dir.toString(), "--threads", "0");

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("--threads must be at least 1, got 0");
    assertThat(dir).doesNotExist();
  }
}
