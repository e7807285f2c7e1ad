package org.grievance.ssd.cli;

import org.grievance.ssd.anchor.AnchorConfig;

/**
 * The reference's two sets of SSD300/SSD512 anchor scales ({@code --scales}, {@code --anchors}).
 */
enum AnchorScales {
  /** Pascal VOC's. */
  VOC,
  /** COCO's, smaller. */
  COCO;

  /** The SSD300 anchors with these scales. */
  AnchorConfig ssd300() {
    return this == COCO ? AnchorConfig.ssd300Coco() : AnchorConfig.ssd300Voc();
  }

  /** The SSD512 anchors with these scales. */
  AnchorConfig ssd512() {
    return this == COCO ? AnchorConfig.ssd512Coco() : AnchorConfig.ssd512Voc();
  }

  /** {@code --scales}. */
  static final class ScalesWords extends OptionWords<AnchorScales> {
    ScalesWords() {
      super("--scales", AnchorScales.class);
    }
  }

  /** {@code ssd weights import --anchors}. */
  static final class AnchorsWords extends OptionWords<AnchorScales> {
    AnchorsWords() {
      super("--anchors", AnchorScales.class);
    }
  }
}
