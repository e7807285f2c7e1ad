package org.grievance.ssd.synth;

import java.nio.charset.StandardCharsets;

/**
 * Writes a Pascal VOC annotation file for one synthetic image. The text is built by hand (no XML
 * library) so the bytes are identical for identical input. Boxes use {@link SynthObject}'s
 * convention: 0-based pixel corners with exclusive xmax/ymax; {@code difficult} is always 0.
 */
final class VocAnnotation {
  private VocAnnotation() {}

  static byte[] xml(String folder, String imageId, int width, int height, SynthSample sample) {
    StringBuilder s = new StringBuilder(512 + 300 * sample.objects().size());
    s.append("<annotation>\n");
    s.append("  <folder>").append(escape(folder)).append("</folder>\n");
    s.append("  <filename>").append(escape(imageId)).append(".jpg</filename>\n");
    s.append("  <source>\n    <database>grievance-synth</database>\n  </source>\n");
    s.append("  <size>\n");
    s.append("    <width>").append(width).append("</width>\n");
    s.append("    <height>").append(height).append("</height>\n");
    s.append("    <depth>3</depth>\n");
    s.append("  </size>\n");
    s.append("  <segmented>0</segmented>\n");
    for (SynthObject o : sample.objects()) {
      s.append("  <object>\n");
      s.append("    <name>").append(o.type().label()).append("</name>\n");
      s.append("    <pose>Unspecified</pose>\n");
      s.append("    <truncated>").append(o.truncated() ? 1 : 0).append("</truncated>\n");
      s.append("    <difficult>0</difficult>\n");
      s.append("    <bndbox>\n");
      s.append("      <xmin>").append(o.xmin()).append("</xmin>\n");
      s.append("      <ymin>").append(o.ymin()).append("</ymin>\n");
      s.append("      <xmax>").append(o.xmax()).append("</xmax>\n");
      s.append("      <ymax>").append(o.ymax()).append("</ymax>\n");
      s.append("    </bndbox>\n");
      s.append("  </object>\n");
    }
    s.append("</annotation>\n");
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
