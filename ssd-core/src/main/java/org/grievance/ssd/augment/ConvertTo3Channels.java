package org.grievance.ssd.augment;

import org.grievance.ssd.image.RgbImage;

/**
 * The reference's {@code ConvertTo3Channels}: gray (one channel) is replicated three times, a
 * fourth (alpha) channel is dropped, three channels pass unchanged. {@link RgbImage} is always
 * three-channel, so this is where other channel counts enter.
 */
public final class ConvertTo3Channels {
  private ConvertTo3Channels() {}

  /**
   * @param channels 1, 3 or 4
   * @param data {@code height·width·channels} bytes, {@code HWC} interleaved
   */
  public static RgbImage convert(int height, int width, int channels, byte[] data) {
    if (channels != 1 && channels != 3 && channels != 4) {
      throw new IllegalArgumentException("channels must be 1, 3 or 4, got " + channels);
    }
    if (data.length != height * width * channels) {
      throw new IllegalArgumentException(
          "pixel array has length "
              + data.length
              + " but "
              + height
              + "x"
              + width
              + "x"
              + channels
              + " needs "
              + height * width * channels);
    }
    if (channels == 3) {
      return new RgbImage(height, width, data.clone());
    }
    byte[] px = new byte[height * width * 3];
    for (int p = 0, s = 0; p < px.length; p += 3, s += channels) {
      byte c0 = data[s];
      px[p] = c0;
      px[p + 1] = channels == 1 ? c0 : data[s + 1];
      px[p + 2] = channels == 1 ? c0 : data[s + 2];
    }
    return new RgbImage(height, width, px);
  }
}
