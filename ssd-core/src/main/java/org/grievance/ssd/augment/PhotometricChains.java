package org.grievance.ssd.augment;

/** The two photometric orders shared by the reference's chains. */
final class PhotometricChains {
  private PhotometricChains() {}

  /** float, brightness, contrast, uint8→HSV, float, saturation, hue, uint8→RGB (then uint8). */
  static Photometric contrastFirst(
      RandomRange brightness, RandomRange contrast, RandomRange saturation, RandomRange hue) {
    return new Photometric(
        new RandomBrightness(brightness.lower(), brightness.upper(), brightness.prob()),
        new RandomContrast(contrast.lower(), contrast.upper(), contrast.prob()),
        ConvertColor.RGB_TO_HSV,
        new RandomSaturation(saturation.lower(), saturation.upper(), saturation.prob()),
        new RandomHue(hue.upper(), hue.prob()),
        ConvertColor.HSV_TO_RGB);
  }

  /** float, brightness, uint8→HSV, float, saturation, hue, uint8→RGB, float, contrast, uint8. */
  static Photometric contrastLast(
      RandomRange brightness, RandomRange contrast, RandomRange saturation, RandomRange hue) {
    return new Photometric(
        new RandomBrightness(brightness.lower(), brightness.upper(), brightness.prob()),
        ConvertColor.RGB_TO_HSV,
        new RandomSaturation(saturation.lower(), saturation.upper(), saturation.prob()),
        new RandomHue(hue.upper(), hue.prob()),
        ConvertColor.HSV_TO_RGB,
        new RandomContrast(contrast.lower(), contrast.upper(), contrast.prob()));
  }

  static RandomRange hue(double maxDelta, double prob) {
    return new RandomRange(-maxDelta, maxDelta, prob);
  }
}
