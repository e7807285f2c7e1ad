package org.grievance.ssd.register.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.grievance.ssd.decode.Detection;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.infer.Detector;
import org.grievance.ssd.infer.DetectorOptions;
import org.grievance.ssd.register.ModelPromotion;
import org.grievance.ssd.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestSplitQualityGateTest {
  static final List<String> CLASSES = List.of("pothole", "graffiti");

  @TempDir Path tmp;

  /**
   * Test-split grievances whose officials' boxes are {@code served}'s own best detection of each
   * class: the served model scores well on them, another model worse.
   */
  private static void reviewTestSplit(Reviews reviews, Path served) throws Exception {
    OffsetDateTime at = OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    try (Detector d = Detector.load(served, DetectorOptions.evaluation())) {
      int found = 0;
      for (long seed = 0; found < 6; seed++) {
        long id = reviews.grievance(seed);
        if (Split.of(id) != Split.TEST) {
          continue;
        }
        found++;
        RgbImage image = TinyModels.image(48, 64, seed);
        List<String> boxes = new ArrayList<>();
        boolean[] taken = new boolean[CLASSES.size() + 1];
        for (Detection det : d.detect(image)) {
          boolean inside =
              det.xmin() >= 0 && det.ymin() >= 0 && det.xmax() <= 64 && det.ymax() <= 48;
          if (inside
              && det.xmax() - det.xmin() >= 2
              && det.ymax() - det.ymin() >= 2
              && !taken[det.classId()]) {
            taken[det.classId()] = true;
            boxes.add(
                String.format(
                    Locale.ROOT,
                    "%s,%.2f,%.2f,%.2f,%.2f",
                    det.className(),
                    det.xmin(),
                    det.ymin(),
                    det.xmax(),
                    det.ymax()));
          }
        }
        reviews.annotate(id, true, at, boxes);
      }
    }
  }

  @Test
  void aModelThatScoresLowerOnTheTestSplitIsWorseAndTheServedOneIsNot() throws Exception {
    Path served = TinyModels.run(tmp.resolve("served"), TinyModels.ssd7(CLASSES), 1);
    Path other = TinyModels.run(tmp.resolve("other"), TinyModels.ssd7(CLASSES), 2);
    Reviews reviews = new Reviews(tmp.resolve("data"));
    try {
      reviewTestSplit(reviews, served);
      TestSplitQualityGate gate =
          new TestSplitQualityGate(reviews.db, reviews.photos, tmp.resolve("scratch"), 0.01, 1);
      ModelPromotion.Verdict worse = gate.compare(served, other);
      assertThat(worse.worse()).as(worse.summary()).isTrue();
      assertThat(worse.summary()).contains("WORSE", "mean VOC07 AP");
      ModelPromotion.Verdict same = gate.compare(served, served);
      assertThat(same.worse()).as(same.summary()).isFalse();
      assertThat(tmp.resolve("scratch")).isEmptyDirectory();
    } finally {
      reviews.db.close();
    }
  }

  @Test
  void anEmptyTestSplitComparesNothing() throws Exception {
    Path served = TinyModels.run(tmp.resolve("served"), TinyModels.ssd7(CLASSES), 1);
    Path other = TinyModels.run(tmp.resolve("other"), TinyModels.ssd7(CLASSES), 2);
    Reviews reviews = new Reviews(tmp.resolve("data"));
    try {
      ModelPromotion.Verdict v =
          new TestSplitQualityGate(reviews.db, reviews.photos, tmp.resolve("scratch"), 0.01, 1)
              .compare(served, other);
      assertThat(v.worse()).isFalse();
      assertThat(v.summary()).contains("not compared", "no reviewed photos");
    } finally {
      reviews.db.close();
    }
  }
}
