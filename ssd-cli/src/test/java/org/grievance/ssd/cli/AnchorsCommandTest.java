package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnchorsCommandTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @CsvSource({"ssd7, 11692", "ssd300, 8732", "ssd512, 24564"})
  void printsTheReferenceAnchorCounts(String model, int count) {
    CliRunner.Result r = CliRunner.run("anchors", "--model", model);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("total anchors: " + count);
  }

  @Test
  void jsonHoldsEveryAnchorNormalised() throws Exception {
    Path json = tmp.resolve("a.json");
    CliRunner.Result r = CliRunner.run("anchors", "--model", "ssd300", "--json", json.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertThat(root.get("anchors").size()).isEqualTo(8732);
    // docs/reference-behaviour.md#anchor-sizes: the first anchor of SSD300 is (4/300, 4/300, 0.1,
    // 0.1), the last (0.5, 0.5, 0.622,
    // 1.245).
    JsonNode first = root.get("anchors").get(0);
    assertThat(first.get(0).asDouble()).isCloseTo(4.0 / 300, within(1e-12));
    assertThat(first.get(2).asDouble()).isCloseTo(0.1, within(1e-12));
    JsonNode last = root.get("anchors").get(8731);
    assertThat(last.get(3).asDouble()).isCloseTo(1.244508, within(1e-6));
  }

  @Test
  void imageSizeChangesTheFeatureMaps() {
    CliRunner.Result r = CliRunner.run("anchors", "--model", "ssd7", "--image-size", "240x320");
    assertThat(r.exitCode()).as(r.err()).isZero();
    // 240x320 → pools 120x160, 60x80, 30x40 → conv4 30x40, conv5 15x20, conv6 7x10, conv7 3x5.
    assertThat(r.out()).contains("30x40").contains("15x20").contains("7x10").contains("3x5");
    assertThat(r.out()).contains("total anchors: " + 4 * (1200 + 300 + 70 + 15));
  }

  @Test
  void drawsTheAnchorsOfACell() throws Exception {
    Path img = tmp.resolve("in.png");
    ImageFiles.writePng(RgbImage.filled(100, 150, 255, 255, 255), img);
    Path out = tmp.resolve("out.png");
    CliRunner.Result r =
        CliRunner.run(
            "anchors",
            "--model",
            "ssd300",
            "--image",
            img.toString(),
            "--out",
            out.toString(),
            "--layer",
            "2",
            "--cell",
            "5,5");
    assertThat(r.exitCode()).as(r.err()).isZero();
    BufferedImage drawn = ImageIO.read(out.toFile());
    assertThat(drawn.getWidth()).isEqualTo(300);
    int coloured = 0;
    for (int y = 0; y < 300; y++) {
      for (int x = 0; x < 300; x++) {
        if (drawn.getRGB(x, y) != 0xFFFFFFFF) {
          coloured++;
        }
      }
    }
    assertThat(coloured).as("anchor outlines drawn").isGreaterThan(500);
  }

  @Test
  void badArgumentsAreClearErrors() {
    assertThat(CliRunner.run("anchors", "--model", "yolo").err()).contains("--model");
    CliRunner.Result r = CliRunner.run("anchors", "--model", "ssd7", "--image-size", "300by480");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("HxW");
  }

  @Test
  void otherRegisteredModelsShowTheirDefaultAnchors() {
    CliRunner.Result r = CliRunner.run("anchors", "--model", "mobilenetv2-ssdlite");
    assertThat(r.exitCode()).as(r.err()).isZero();
    // 19x19 cells x 4 boxes on the first map, 6 boxes on 10x10, 5x5, 3x3, 2x2 and 1x1
    assertThat(r.out()).contains("total anchors: " + (19 * 19 * 4 + (100 + 25 + 9 + 4 + 1) * 6));
  }
}
