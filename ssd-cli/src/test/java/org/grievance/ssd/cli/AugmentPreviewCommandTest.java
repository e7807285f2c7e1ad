package org.grievance.ssd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.grievance.ssd.image.BoxPainter;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import org.grievance.ssd.synth.SynthConfig;
import org.grievance.ssd.synth.SyntheticDatasetGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AugmentPreviewCommandTest {
  @TempDir static Path dir;
  static Path data;

  @BeforeAll
  static void tinyDataset() throws Exception {
    data = dir.resolve("voc");
    SynthConfig cfg = SynthConfig.builder().splits(6, 1, 1).imageSize(96, 128).seed(3).build();
    SyntheticDatasetGenerator.generate(cfg, data, (done, total) -> {});
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new AugmentPreviewCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Pixels with exactly one of the palette's colours (box outlines, tags). */
  private static Set<Integer> paletteColoursIn(RgbImage img) {
    Set<Integer> palette = new HashSet<>(BoxPainter.PALETTE);
    Set<Integer> found = new HashSet<>();
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < img.width(); x++) {
        int p = img.get(y, x, 0) << 16 | img.get(y, x, 1) << 8 | img.get(y, x, 2);
        if (palette.contains(p)) {
          found.add(p);
        }
      }
    }
    return found;
  }

  @Test
  void writesASheetWithBoxesForEveryChain() throws Exception {
    for (String chain : new String[] {"constant", "ssd", "variable"}) {
      Path png = dir.resolve("sheet-" + chain + ".png");
      Run r =
          chain.equals("constant")
              ? run(
                  "--data",
                  data.toString(),
                  "--chain",
                  chain,
                  "--samples",
                  "4",
                  "--out",
                  png.toString())
              : run(
                  "--data",
                  data.toString(),
                  "--split",
                  "train",
                  "--chain",
                  chain,
                  "--image-size",
                  "64x80",
                  "--samples",
                  "4",
                  "--seed",
                  "7",
                  "--out",
                  png.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("4 images").contains(chain);
      RgbImage sheet = ImageFiles.read(png);
      // Four wide tiles (two cells each) in two columns: wider than tall, bigger than one cell.
      assertThat(sheet.width()).isGreaterThan(sheet.height());
      assertThat(sheet.height()).isGreaterThan(2 * 96);
      assertThat(paletteColoursIn(sheet)).as("box colours on the %s sheet", chain).isNotEmpty();
    }
  }

  @Test
  void sameOptionsSameSheetOtherSeedOtherSheet() throws Exception {
    Path a = dir.resolve("a.png");
    Path b = dir.resolve("b.png");
    Path c = dir.resolve("c.png");
    String d = data.toString();
    assertThat(run("--data", d, "--samples", "3", "--seed", "5", "--out", a.toString()).code())
        .isZero();
    assertThat(run("--data", d, "--samples", "3", "--seed", "5", "--out", b.toString()).code())
        .isZero();
    assertThat(run("--data", d, "--samples", "3", "--seed", "6", "--out", c.toString()).code())
        .isZero();
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    assertThat(ImageFiles.read(a)).isNotEqualTo(ImageFiles.read(c));
  }

  @Test
  void moreSamplesThanImagesShowsEveryImageOnce() {
    Path png = dir.resolve("all.png");
    Run r = run("--data", data.toString(), "--samples", "50", "--out", png.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("8 images");
  }

  @Test
  void badOptionsAreReportedWithTheirValue() {
    Path png = dir.resolve("bad.png");
    Run size =
        run(
            "--data",
            data.toString(),
            "--chain",
            "ssd",
            "--image-size",
            "300by300",
            "--out",
            png.toString());
    assertThat(size.code()).isEqualTo(2);
    assertThat(size.err()).contains("--image-size").contains("300by300");
    Run constant = run("--data", data.toString(), "--image-size", "64x64", "--out", png.toString());
    assertThat(constant.code()).isEqualTo(2);
    assertThat(constant.err()).contains("ssd and variable chains only");
    Run samples = run("--data", data.toString(), "--samples", "0", "--out", png.toString());
    assertThat(samples.code()).isEqualTo(2);
    assertThat(samples.err()).contains("--samples").contains("0");
    Run missing = run("--data", dir.resolve("nope").toString(), "--out", png.toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("nope");
    assertThat(png).doesNotExist();
  }
}
