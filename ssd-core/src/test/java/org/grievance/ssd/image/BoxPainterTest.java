package org.grievance.ssd.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoxPainterTest {
  private static int rgb(RgbImage img, int y, int x) {
    return img.get(y, x, 0) << 16 | img.get(y, x, 1) << 8 | img.get(y, x, 2);
  }

  @Test
  void outlinePixelsHaveTheClassColourAndTheInsideIsUntouched() {
    RgbImage gray = RgbImage.filled(120, 160, 128, 128, 128);
    RgbImage out = BoxPainter.paint(gray, List.of(new BoxPainter.Box(3, 20, 30, 90, 100, null)));
    int c = BoxPainter.PALETTE.get(2);
    for (int x = 20; x < 90; x++) {
      assertThat(rgb(out, 30, x)).as("top edge x=%d", x).isEqualTo(c);
      assertThat(rgb(out, 99, x)).as("bottom edge x=%d", x).isEqualTo(c);
    }
    for (int y = 30; y < 100; y++) {
      assertThat(rgb(out, y, 20)).as("left edge y=%d", y).isEqualTo(c);
      assertThat(rgb(out, y, 89)).as("right edge y=%d", y).isEqualTo(c);
    }
    assertThat(rgb(out, 60, 50)).isEqualTo(0x808080);
    assertThat(rgb(out, 29, 50)).as("just outside").isEqualTo(0x808080);
    assertThat(rgb(out, 100, 50)).as("just outside").isEqualTo(0x808080);
    assertThat(gray.get(30, 20, 0)).as("input unchanged").isEqualTo(128);
  }

  @Test
  void thicknessGrowsWithTheImage() {
    assertThat(BoxPainter.thickness(200, 300)).isEqualTo(1);
    assertThat(BoxPainter.thickness(1200, 1600)).isEqualTo(4);
    RgbImage big = RgbImage.filled(900, 900, 0, 0, 0);
    RgbImage out = BoxPainter.paint(big, List.of(new BoxPainter.Box(1, 100, 100, 500, 500, null)));
    int c = BoxPainter.PALETTE.get(0);
    assertThat(rgb(out, 102, 300)).as("third row of a 3 px band").isEqualTo(c);
    assertThat(rgb(out, 103, 300)).isZero();
  }

  @Test
  void labelTagIsDrawnAboveTheBoxInTheClassColourWithText() {
    RgbImage white = RgbImage.filled(200, 300, 255, 255, 255);
    String text = BoxPainter.label("pothole", 0.8712);
    assertThat(text).isEqualTo("pothole 0.87");
    RgbImage out = BoxPainter.paint(white, List.of(new BoxPainter.Box(2, 50, 80, 200, 150, text)));
    int c = BoxPainter.PALETTE.get(1);
    int tagColour = 0;
    int textPixels = 0;
    for (int y = 55; y < 80; y++) {
      for (int x = 50; x < 110; x++) {
        int p = rgb(out, y, x);
        if (p == c) {
          tagColour++;
        } else if (p != 0xFFFFFF) {
          textPixels++;
        }
      }
    }
    assertThat(tagColour).isGreaterThan(200);
    assertThat(textPixels).isGreaterThan(20);
  }

  @Test
  void aBoxAtTheTopEdgeGetsItsTagInside() {
    RgbImage black = RgbImage.filled(100, 200, 0, 0, 0);
    RgbImage out =
        BoxPainter.paint(black, List.of(new BoxPainter.Box(1, 10, 0, 150, 90, "x 1.00")));
    int tagged = 0;
    for (int x = 11; x < 40; x++) {
      tagged += rgb(out, 3, x) == BoxPainter.PALETTE.get(0) ? 1 : 0;
    }
    assertThat(tagged).isGreaterThan(10);
  }

  @Test
  void boxesOutsideOrDegenerateAreSkippedWithoutError() {
    RgbImage img = RgbImage.filled(50, 50, 9, 9, 9);
    RgbImage out =
        BoxPainter.paint(
            img,
            List.of(
                new BoxPainter.Box(1, 10, 10, 10, 20, "empty"),
                new BoxPainter.Box(2, -100, -100, -50, -50, "outside"),
                new BoxPainter.Box(3, 40, 40, 80, 80, null)));
    assertThat(rgb(out, 40, 45)).isEqualTo(BoxPainter.PALETTE.get(2));
    assertThat(rgb(out, 15, 10)).isEqualTo(0x090909);
    assertThat(rgb(out, 2, 2)).as("no tag for a box outside the image").isEqualTo(0x090909);
    assertThatThrownBy(() -> new BoxPainter.Box(1, Double.NaN, 0, 1, 1, null))
        .hasMessageContaining("finite");
  }

  @Test
  void paletteColoursAreDistinctAndReadableOnBlackAndOnWhite() {
    assertThat(new HashSet<>(BoxPainter.PALETTE)).hasSize(BoxPainter.PALETTE.size());
    for (int c : BoxPainter.PALETTE) {
      double l = BoxPainter.luminance(c);
      assertThat(BoxPainter.contrast(l, 0)).as("%06X on black", c).isGreaterThanOrEqualTo(3);
      assertThat(BoxPainter.contrast(l, 1)).as("%06X on white", c).isGreaterThanOrEqualTo(3);
    }
    assertThat(BoxPainter.colour(1)).isEqualTo(new Color(BoxPainter.PALETTE.get(0)));
    assertThat(BoxPainter.colour(1 + BoxPainter.PALETTE.size())).isEqualTo(BoxPainter.colour(1));
  }
}
