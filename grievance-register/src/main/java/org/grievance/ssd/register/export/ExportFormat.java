package org.grievance.ssd.register.export;

import java.util.Locale;

/** The dataset layouts the export writes; both are read by ssd-core's dataset readers. */
public enum ExportFormat {
  /**
   * Pascal VOC: {@code JPEGImages/}, {@code Annotations/}, {@code ImageSets/Main/<split>.txt},
   * {@code classes.txt}.
   */
  VOC,
  /** COCO: {@code images/} and one instances file per split, {@code <split>.json}. */
  COCO;

  /** Parses {@code voc} or {@code coco} (any case). */
  public static ExportFormat parse(String text) {
    for (ExportFormat f : values()) {
      if (f.name().equalsIgnoreCase(text.strip())) {
        return f;
      }
    }
    throw new IllegalArgumentException("format must be voc or coco, not '" + text + "'");
  }

  /** {@code voc} or {@code coco}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
