package org.grievance.ssd.io;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The text of one Pascal VOC annotation file, the one writer of the format (the synthetic generator
 * and the register's dataset export use it). Built by hand rather than with an XML library so that
 * identical input gives identical bytes. Boxes are written as given, with no change of convention;
 * whole numbers are written without a fraction so integer boxes look as the VOC tools expect.
 */
public final class VocAnnotationXml {
  /**
   * One {@code <object>}: class name and corners; {@code difficult} is always 0.
   *
   * @param truncated written as the {@code <truncated>} flag
   */
  public record Box(
      String name, double xmin, double ymin, double xmax, double ymax, boolean truncated) {
    public Box {
      Objects.requireNonNull(name, "name");
      if (!(Double.isFinite(xmin)
          && Double.isFinite(ymin)
          && Double.isFinite(xmax)
          && Double.isFinite(ymax))) {
        throw new IllegalArgumentException(
            "box of '"
                + name
                + "' must have finite corners: "
                + xmin
                + ", "
                + ymin
                + ", "
                + xmax
                + ", "
                + ymax);
      }
    }
  }

  private VocAnnotationXml() {}

  /**
   * The annotation of image {@code fileName} ({@code width x height} pixels) in {@code folder},
   * whose {@code <source><database>} is {@code database}.
   */
  public static byte[] xml(
      String folder, String fileName, String database, int width, int height, List<Box> boxes) {
    StringBuilder s = new StringBuilder(512 + 300 * boxes.size());
    s.append("<annotation>\n");
    s.append("  <folder>").append(escape(folder)).append("</folder>\n");
    s.append("  <filename>").append(escape(fileName)).append("</filename>\n");
    s.append("  <source>\n    <database>")
        .append(escape(database))
        .append("</database>\n  </source>\n");
    s.append("  <size>\n");
    s.append("    <width>").append(width).append("</width>\n");
    s.append("    <height>").append(height).append("</height>\n");
    s.append("    <depth>3</depth>\n");
    s.append("  </size>\n");
    s.append("  <segmented>0</segmented>\n");
    for (Box b : boxes) {
      s.append("  <object>\n");
      s.append("    <name>").append(escape(b.name())).append("</name>\n");
      s.append("    <pose>Unspecified</pose>\n");
      s.append("    <truncated>").append(b.truncated() ? 1 : 0).append("</truncated>\n");
      s.append("    <difficult>0</difficult>\n");
      s.append("    <bndbox>\n");
      s.append("      <xmin>").append(number(b.xmin())).append("</xmin>\n");
      s.append("      <ymin>").append(number(b.ymin())).append("</ymin>\n");
      s.append("      <xmax>").append(number(b.xmax())).append("</xmax>\n");
      s.append("      <ymax>").append(number(b.ymax())).append("</ymax>\n");
      s.append("    </bndbox>\n");
      s.append("  </object>\n");
    }
    s.append("</annotation>\n");
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%s", v);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
