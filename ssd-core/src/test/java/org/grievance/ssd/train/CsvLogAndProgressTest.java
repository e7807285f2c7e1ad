package org.grievance.ssd.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLogAndProgressTest {
  @TempDir Path dir;

  private static EpochReport row(int epoch, double valLoss, double map) {
    return new EpochReport(
        epoch, epoch * 4L, 1e-3, 2.5, 1.5, 1.0, 0, valLoss, 1, 1, map, 100, 3, 512);
  }

  @Test
  void writesHeaderAndOneRowPerEpochWithEmptyCellsForAbsentValues() throws IOException {
    Path file = dir.resolve("log.csv");
    CsvLog log = CsvLog.create(file);
    log.append(row(1, Double.NaN, Double.NaN));
    log.append(row(2, 2.0, 0.5));
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .isEqualTo(
            "epoch,step,lr,train_loss,train_class_loss,train_loc_loss,train_extra_loss,val_loss,"
                + "val_class_loss,val_loc_loss,val_map,images_per_s,seconds,rss_mb");
    assertThat(lines.get(1).split(",", -1)[7]).isEmpty();
    assertThat(lines.get(1).split(",", -1)[10]).isEmpty();
    assertThat(lines.get(2).split(",", -1)[10]).isEqualTo("0.5000000");
    assertThat(CsvLog.read(file)).isEqualTo(log.rows());
  }

  @Test
  void resumeDropsRowsWrittenAfterTheCheckpoint() throws IOException {
    Path file = dir.resolve("log.csv");
    CsvLog log = CsvLog.create(file);
    for (int e = 1; e <= 3; e++) {
      log.append(row(e, 1, Double.NaN));
    }
    CsvLog resumed = CsvLog.resume(file, 2);
    assertThat(resumed.rows()).extracting(EpochReport::epoch).containsExactly(1, 2);
    resumed.append(row(3, 0.5, Double.NaN));
    assertThat(Files.readAllLines(file)).hasSize(4);
    Files.writeString(file, "nonsense\n");
    assertThatThrownBy(() -> CsvLog.read(file)).hasMessageContaining("line 1 is not");
  }

  @Test
  void plainProgressPrintsAtIntervalsAndOnFirstAndLastBatch() {
    AtomicLong clock = new AtomicLong();
    List<String> lines = new ArrayList<>();
    PlainProgress p = new PlainProgress(lines::add, 10, clock::get);
    p.onStart(new ProgressListener.TrainingPlan(0, 2, 5, 0, 0, false));
    for (int b = 1; b <= 5; b++) {
      clock.addAndGet(4_000_000_000L); // 4 s per batch
      p.onBatch(
          new ProgressListener.BatchProgress(1, b, 5, b, 10, 1.25, 1e-3, 8, 40 - 4 * b, 4 * b));
    }
    // start, batch 1 (first), batch 4 (12 s after batch 1), batch 5 (last)
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).contains("starting training: 2 epochs, 5 batches per epoch");
    assertThat(lines.get(2))
        .isEqualTo(
            "epoch 1/2  batch 4/5  step 4/10  loss 1.2500  lr 0.00100  8.0 img/s  ETA 0:00:24");
    assertThat(PlainProgress.duration(3725)).isEqualTo("1:02:05");
    assertThat(PlainProgress.duration(Double.NaN)).isEqualTo("?");
  }
}
