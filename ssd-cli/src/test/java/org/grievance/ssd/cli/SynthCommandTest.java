package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {
  @TempDir Path dir;

  private Properties written(Path out) throws Exception {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(out.resolve("synth.properties"))) {
      p.load(r);
    }
    return p;
  }

  @Test
  void difficultyOptionsOverrideThePreset() throws Exception {
    Path out = dir.resolve("easy");
    CliRunner.Result r =
        CliRunner.run(
            "synth",
            "--out",
            out.toString(),
            "--train",
            "3",
            "--val",
            "1",
            "--test",
            "1",
            "--height",
            "64",
            "--width",
            "96",
            "--objects",
            "2-3",
            "--object-size",
            "0.3-0.6",
            "--distractors",
            "0-1",
            "--look-alike",
            "0.1",
            "--occlusion",
            "0.05",
            "--truncation",
            "0",
            "--clutter",
            "0.2");
    assertThat(r.exitCode()).as(r.err()).isZero();
    Properties p = written(out);
    assertThat(p.getProperty("minObjects")).isEqualTo("2");
    assertThat(p.getProperty("maxObjects")).isEqualTo("3");
    assertThat(Double.parseDouble(p.getProperty("minObjectSize"))).isEqualTo(0.3);
    assertThat(Double.parseDouble(p.getProperty("maxObjectSize"))).isEqualTo(0.6);
    assertThat(p.getProperty("maxDistractors")).isEqualTo("1");
    assertThat(Double.parseDouble(p.getProperty("lookAlikeFraction"))).isEqualTo(0.1);
    assertThat(Double.parseDouble(p.getProperty("occlusionProbability"))).isEqualTo(0.05);
    assertThat(Double.parseDouble(p.getProperty("truncationProbability"))).isZero();
    assertThat(Double.parseDouble(p.getProperty("clutterDensity"))).isEqualTo(0.2);
  }

  @Test
  void malformedRangeIsRejectedNamingTheOption() {
    CliRunner.Result r =
        CliRunner.run("synth", "--out", dir.resolve("bad").toString(), "--objects", "3");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--objects").contains("MIN-MAX").contains("'3'");
    assertThat(dir.resolve("bad")).doesNotExist();
  }

  @Test
  void rangeOutsideTheConfigBoundsIsRejected() {
    CliRunner.Result r =
        CliRunner.run("synth", "--out", dir.resolve("bad2").toString(), "--object-size", "0.5-0.2");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("invalid synth options");
  }
}
