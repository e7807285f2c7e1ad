package org.grievance.ssd.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.grievance.ssd.image.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SyntheticDatasetGeneratorTest {
  @TempDir Path tmp;

  private static SynthConfig tiny(long seed) {
    return SynthConfig.builder().splits(3, 2, 1).imageSize(96, 128).seed(seed).build();
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }

  @Test
  void sameSeedGivesIdenticalFilesDifferentSeedDoesNot() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path c = tmp.resolve("c");
    List<Integer> progress = new ArrayList<>();
    SyntheticDatasetGenerator.generate(tiny(7), a, (done, total) -> progress.add(done));
    SyntheticDatasetGenerator.generate(tiny(7), b, SyntheticDatasetGenerator.Progress.NONE);
    SyntheticDatasetGenerator.generate(tiny(8), c, SyntheticDatasetGenerator.Progress.NONE);
    assertThat(progress).containsExactly(1, 2, 3, 4, 5, 6);

    List<Path> names = files(a);
    assertThat(names).isEqualTo(files(b)).isEqualTo(files(c)).hasSize(6 * 2 + 4 + 2);
    int differing = 0;
    for (Path name : names) {
      byte[] bytesA = Files.readAllBytes(a.resolve(name));
      assertThat(bytesA).as(name.toString()).isEqualTo(Files.readAllBytes(b.resolve(name)));
      if (!java.util.Arrays.equals(bytesA, Files.readAllBytes(c.resolve(name)))) {
        differing++;
        assertThat(name.toString()).doesNotStartWith("ImageSets").isNotEqualTo("classes.txt");
      }
    }
    // Every image and annotation changes with the seed (plus the marker's seed line).
    assertThat(differing).isEqualTo(6 * 2 + 1);
  }

  @Test
  void writesAWellFormedVocDataset() throws Exception {
    Path out = tmp.resolve("voc");
    SynthSummary summary =
        SyntheticDatasetGenerator.generate(tiny(3), out, SyntheticDatasetGenerator.Progress.NONE);

    assertThat(Files.readAllLines(out.resolve("classes.txt")))
        .containsExactly("pothole", "garbage", "streetlight", "waterleak", "graffiti");
    Path sets = out.resolve("ImageSets/Main");
    List<String> train = Files.readAllLines(sets.resolve("train.txt"));
    List<String> val = Files.readAllLines(sets.resolve("val.txt"));
    List<String> test = Files.readAllLines(sets.resolve("test.txt"));
    assertThat(train).containsExactly("train_00000", "train_00001", "train_00002");
    assertThat(val).containsExactly("val_00000", "val_00001");
    assertThat(test).containsExactly("test_00000");
    List<String> trainval = Files.readAllLines(sets.resolve("trainval.txt"));
    List<String> expectedTrainval = new ArrayList<>(train);
    expectedTrainval.addAll(val);
    assertThat(trainval).isEqualTo(expectedTrainval);

    Set<String> all = new HashSet<>();
    int objects = 0;
    for (String id : concat(train, val, test)) {
      assertThat(all.add(id)).as("id listed once: " + id).isTrue();
      Path jpg = out.resolve("JPEGImages/" + id + ".jpg");
      assertThat(ImageFiles.readSize(jpg)).isEqualTo(new ImageFiles.Size(96, 128));
      Document doc =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(out.resolve("Annotations/" + id + ".xml").toFile());
      Element root = doc.getDocumentElement();
      assertThat(root.getTagName()).isEqualTo("annotation");
      assertThat(text(root, "filename")).isEqualTo(id + ".jpg");
      assertThat(text(root, "width")).isEqualTo("128");
      assertThat(text(root, "height")).isEqualTo("96");
      assertThat(text(root, "depth")).isEqualTo("3");
      NodeList list = root.getElementsByTagName("object");
      for (int i = 0; i < list.getLength(); i++) {
        Element o = (Element) list.item(i);
        assertThat(text(o, "name"))
            .isIn("pothole", "garbage", "streetlight", "waterleak", "graffiti");
        assertThat(text(o, "truncated")).isIn("0", "1");
        assertThat(text(o, "difficult")).isEqualTo("0");
        int xmin = Integer.parseInt(text(o, "xmin"));
        int ymin = Integer.parseInt(text(o, "ymin"));
        int xmax = Integer.parseInt(text(o, "xmax"));
        int ymax = Integer.parseInt(text(o, "ymax"));
        assertThat(xmin).isBetween(0, 127);
        assertThat(ymin).isBetween(0, 95);
        assertThat(xmax).isGreaterThan(xmin).isLessThanOrEqualTo(128);
        assertThat(ymax).isGreaterThan(ymin).isLessThanOrEqualTo(96);
        objects++;
      }
    }
    assertThat(summary.images()).isEqualTo(6);
    assertThat(summary.objects()).isEqualTo(objects).isPositive();
    assertThat(Files.readString(out.resolve(SyntheticDatasetGenerator.MARKER)))
        .contains("status=complete")
        .contains("seed=3");
  }

  @Test
  void xmlMatchesTheInMemorySample() throws Exception {
    Path out = tmp.resolve("voc");
    SynthConfig cfg = tiny(11);
    SyntheticDatasetGenerator.generate(cfg, out, SyntheticDatasetGenerator.Progress.NONE);
    SynthSample sample = SyntheticDatasetGenerator.sample(cfg, SynthSplit.VAL, 1);
    String xml = Files.readString(out.resolve("Annotations/val_00001.xml"), StandardCharsets.UTF_8);
    for (SynthObject o : sample.objects()) {
      assertThat(xml)
          .contains(
              "<xmin>"
                  + o.xmin()
                  + "</xmin>\n      <ymin>"
                  + o.ymin()
                  + "</ymin>\n      <xmax>"
                  + o.xmax()
                  + "</xmax>");
    }
  }

  @Test
  void refusesAForeignNonEmptyDirectory() throws IOException {
    Path out = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(out.resolve("thesis.tex"), "precious");
    assertThatThrownBy(
            () ->
                SyntheticDatasetGenerator.generate(
                    tiny(1), out, true, SyntheticDatasetGenerator.Progress.NONE))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(out.toString())
        .hasMessageContaining("not empty");
    assertThat(Files.readString(out.resolve("thesis.tex"))).isEqualTo("precious");
  }

  @Test
  void replacesAPreviousSynthOutputOnlyWithOverwrite() throws IOException {
    Path out = tmp.resolve("voc");
    SyntheticDatasetGenerator.generate(tiny(1), out, SyntheticDatasetGenerator.Progress.NONE);
    SynthConfig smaller = tiny(1).toBuilder().splits(1, 1, 1).build();
    assertThatThrownBy(
            () ->
                SyntheticDatasetGenerator.generate(
                    smaller, out, SyntheticDatasetGenerator.Progress.NONE))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("overwrite");
    SyntheticDatasetGenerator.generate(smaller, out, true, SyntheticDatasetGenerator.Progress.NONE);
    // The stale images of the bigger run are gone.
    assertThat(files(out.resolve("JPEGImages")))
        .extracting(Path::toString)
        .containsExactly("test_00000.jpg", "train_00000.jpg", "val_00000.jpg");
  }

  private static List<String> concat(List<String> a, List<String> b, List<String> c) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    all.addAll(c);
    return all;
  }

  private static String text(Element parent, String tag) {
    NodeList l = parent.getElementsByTagName(tag);
    assertThat(l.getLength()).as("<%s> in <%s>", tag, parent.getTagName()).isGreaterThan(0);
    return l.item(0).getTextContent().trim();
  }
}
