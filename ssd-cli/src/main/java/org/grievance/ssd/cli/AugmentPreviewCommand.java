package org.grievance.ssd.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.grievance.ssd.augment.Background;
import org.grievance.ssd.augment.ConstantInputSizeAugmentation;
import org.grievance.ssd.augment.Labeled;
import org.grievance.ssd.augment.SsdAugmentation;
import org.grievance.ssd.augment.Transform;
import org.grievance.ssd.augment.VariableInputSizeAugmentation;
import org.grievance.ssd.data.Dataset;
import org.grievance.ssd.data.DatasetException;
import org.grievance.ssd.data.ObjectBox;
import org.grievance.ssd.data.Sample;
import org.grievance.ssd.image.BoxPainter;
import org.grievance.ssd.image.ImageFiles;
import org.grievance.ssd.image.RgbImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ssd augment-preview}: a contact sheet showing what an augmentation chain does to a few
 * dataset images, ground-truth boxes drawn before and after, to check a chain's settings by eye.
 */
@Command(
    name = "augment-preview",
    mixinStandardHelpOptions = true,
    description =
        "Apply an augmentation chain to a few dataset images and write a contact sheet PNG: per"
            + " tile the original and the augmented image side by side, boxes and class names"
            + " drawn. The same options always give the same sheet.")
public final class AugmentPreviewCommand implements Callable<Integer> {
  /** The augmentation chains. */
  enum Chain {
    constant,
    ssd,
    variable
  }

  /** Height of one image cell on the sheet; widths follow the aspect ratio, capped. */
  private static final int CELL_H = 220;

  private static final int CELL_W_MAX = 330;
  private static final int GAP = 8;
  private static final int CAPTION = 18;

  @Spec CommandSpec spec;

  @Mixin DatasetOptions dataset;

  @Option(
      names = "--chain",
      defaultValue = "constant",
      description = "Augmentation chain: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Chain chain;

  @Option(
      names = "--image-size",
      paramLabel = "HxW",
      description = "Output size of the ssd and variable chains (default: 300x300).")
  String imageSize;

  @Option(
      names = "--samples",
      defaultValue = "16",
      paramLabel = "N",
      description = "Number of images (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "S",
      description = "Seed for the image pick and the augmentation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "PNG", description = "Sheet to write.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (samples < 1) {
      err.println("--samples must be at least 1, got " + samples);
      return 2;
    }
    Transform transform;
    try {
      transform = transform();
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    Dataset ds;
    try {
      ds = dataset.load();
    } catch (DatasetException | IllegalArgumentException e) {
      err.println("cannot load dataset: " + e.getMessage());
      return 1;
    }
    if (ds.samples().isEmpty()) {
      err.println("dataset " + ds.source() + " has no images");
      return 1;
    }
    List<Sample> picked = pick(ds.samples(), samples, seed);
    List<BufferedImage> tiles = new ArrayList<>();
    try {
      for (int i = 0; i < picked.size(); i++) {
        Sample s = picked.get(i);
        RgbImage image = ImageFiles.read(s.imagePath());
        Labeled in = Labeled.of(image, labels(s));
        Labeled aug = transform.apply(in, imageRng(seed, i));
        tiles.add(tile(ds, s.imageId(), in, aug));
      }
      ImageFiles.writePng(sheet(tiles), out);
    } catch (IOException e) {
      err.println("augment-preview failed: " + e.getMessage());
      return 1;
    }
    PrintWriter o = spec.commandLine().getOut();
    o.printf(
        Locale.ROOT,
        "Wrote %s: %d images through the %s chain (seed %d)%n",
        out,
        tiles.size(),
        chain,
        seed);
    o.flush();
    return 0;
  }

  private Transform transform() {
    if (chain == Chain.constant) {
      if (imageSize != null) {
        throw new IllegalArgumentException(
            "--image-size applies to the ssd and variable chains only (constant keeps the size)");
      }
      return new ConstantInputSizeAugmentation(ConstantInputSizeAugmentation.Config.defaults());
    }
    int[] hw = imageSize == null ? new int[] {300, 300} : parseSize(imageSize);
    return chain == Chain.ssd
        ? new SsdAugmentation(new SsdAugmentation.Config(hw[0], hw[1], Background.SSD_MEAN))
        : new VariableInputSizeAugmentation(
            VariableInputSizeAugmentation.Config.defaults(hw[0], hw[1]));
  }

  /** Parses {@code HxW} (both positive). */
  static int[] parseSize(String text) {
    String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x");
    try {
      if (parts.length == 2) {
        int h = Integer.parseInt(parts[0].trim());
        int w = Integer.parseInt(parts[1].trim());
        if (h > 0 && w > 0) {
          return new int[] {h, w};
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--image-size must be HxW with positive integers, e.g. 300x300, got '" + text + "'");
  }

  /** {@code n} samples (all when fewer), a seeded shuffle's first ones: same seed, same pick. */
  static List<Sample> pick(List<Sample> all, int n, long seed) {
    List<Sample> copy = new ArrayList<>(all);
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = copy.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      Sample t = copy.get(i);
      copy.set(i, copy.get(j));
      copy.set(j, t);
    }
    return copy.subList(0, Math.min(n, copy.size()));
  }

  /** The augmentation generator of the {@code i}-th picked image. */
  private static SplittableRandom imageRng(long seed, int i) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
  }

  private static double[][] labels(Sample s) {
    double[][] rows = new double[s.objects().size()][];
    for (int k = 0; k < rows.length; k++) {
      ObjectBox b = s.objects().get(k);
      rows[k] = new double[] {b.classId(), b.xmin(), b.ymin(), b.xmax(), b.ymax()};
    }
    return rows;
  }

  /** Original and augmented image side by side, each scaled into a cell, with a caption. */
  private static BufferedImage tile(Dataset ds, String id, Labeled in, Labeled aug) {
    BufferedImage left = cell(ds, in);
    BufferedImage right =
        aug == null ? blank(left.getHeight(), left.getWidth(), "rejected") : cell(ds, aug);
    int w = left.getWidth() + GAP + right.getWidth();
    int h = CAPTION + Math.max(left.getHeight(), right.getHeight());
    BufferedImage t = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = t.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.drawImage(left, 0, CAPTION, null);
      g.drawImage(right, left.getWidth() + GAP, CAPTION, null);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.DARK_GRAY);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      FontMetrics fm = g.getFontMetrics();
      String size = aug == null ? "" : " → " + aug.height() + "x" + aug.width();
      g.drawString(
          id + "  " + in.height() + "x" + in.width() + size, 2, (CAPTION + fm.getAscent()) / 2);
    } finally {
      g.dispose();
    }
    return t;
  }

  /** The image scaled to fit a cell, its boxes scaled alike and drawn with class names. */
  private static BufferedImage cell(Dataset ds, Labeled sample) {
    double scale =
        Math.min((double) CELL_H / sample.height(), (double) CELL_W_MAX / sample.width());
    int h = Math.max(1, (int) Math.round(sample.height() * scale));
    int w = Math.max(1, (int) Math.round(sample.width() * scale));
    BufferedImage c = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = c.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(sample.image().toBufferedImage(), 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    double sx = (double) w / sample.width();
    double sy = (double) h / sample.height();
    List<BoxPainter.Box> boxes = new ArrayList<>();
    for (double[] l : sample.labels()) {
      int classId = (int) l[0];
      String name =
          classId >= 1 && classId <= ds.classCount() ? ds.className(classId) : "class " + classId;
      boxes.add(new BoxPainter.Box(classId, l[1] * sx, l[2] * sy, l[3] * sx, l[4] * sy, name));
    }
    BoxPainter.paint(c, boxes);
    return c;
  }

  private static BufferedImage blank(int h, int w, String text) {
    BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = b.createGraphics();
    try {
      g.setColor(Color.LIGHT_GRAY);
      g.fillRect(0, 0, w, h);
      g.setColor(Color.BLACK);
      g.drawString(text, 8, h / 2);
    } finally {
      g.dispose();
    }
    return b;
  }

  /** Tiles in a grid with as many columns as make the sheet roughly square. */
  private static BufferedImage sheet(List<BufferedImage> tiles) {
    int cw = 0;
    int ch = 0;
    for (BufferedImage t : tiles) {
      cw = Math.max(cw, t.getWidth());
      ch = Math.max(ch, t.getHeight());
    }
    int n = tiles.size();
    int cols = Math.min(n, Math.max(1, (int) Math.ceil(Math.sqrt(n * (double) ch / cw))));
    int rows = (n + cols - 1) / cols;
    int w = GAP + cols * (cw + 2 * GAP);
    int h = GAP + rows * (ch + GAP);
    BufferedImage s = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = s.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      for (int i = 0; i < tiles.size(); i++) {
        g.drawImage(
            tiles.get(i), GAP + (i % cols) * (cw + 2 * GAP), GAP + (i / cols) * (ch + GAP), null);
      }
    } finally {
      g.dispose();
    }
    return s;
  }
}
